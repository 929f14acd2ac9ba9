package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoedTextTest {

    @Test
    void aLongValueIsCutAtFortyCharactersWithoutHalvingOne() {
        assertThat(EchoedText.shorten("x".repeat(40))).isEqualTo("x".repeat(40));
        assertThat(EchoedText.shorten("x".repeat(500_000))).isEqualTo("x".repeat(40) + "...");
        // 41 characters of two chars each (U+1F600): the cut falls between characters, not inside one
        String faces = "\uD83D\uDE00".repeat(41);
        assertThat(EchoedText.shorten(faces)).isEqualTo("\uD83D\uDE00".repeat(40) + "...");
        assertThat(EchoedText.shorten("\uD83D\uDE00".repeat(40))).isEqualTo("\uD83D\uDE00".repeat(40));
        assertThat(EchoedText.shorten(null)).isNull();
    }

    @Test
    void aQuotedValueHasItsControlCharactersEscaped() {
        assertThat(EchoedText.quote("a\nb\u0000c")).isEqualTo("'a\\u000Ab\\u0000c'");
        assertThat(EchoedText.quote("y".repeat(41))).isEqualTo("'" + "y".repeat(40) + "...'");
        assertThat(EchoedText.quote(null)).isEqualTo("'null'");
    }
}
