package io.nnserve.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DecimalTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "+7", "42", "3.14", "-2.5e3", "1E-5", ".5", "5.", "0.1", "0.30000000000000004",
        "123456789012345678901234567890", "1.7976931348623157e308", "4.9e-324", "1e400", "-1e-400", "0000012.50",
        "9007199254740993", "3.4028235e38", "2.2250738585072014E-308"})
    void agreesWithParseDouble(String text) {
        assertThat(Decimal.parse(text)).isEqualTo(Double.parseDouble(text));
    }

    @Test
    void agreesWithParseDoubleOnRandomShortDecimals() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long mantissa = random.nextLong() % 10_000_000_000_000L;
            int decimals = random.nextInt(16);
            String text = new BigDecimal(BigInteger.valueOf(mantissa), decimals).toPlainString();
            assertThat(Decimal.parse(text)).as(text).isEqualTo(Double.parseDouble(text));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+", ".", "e5", "1e", "1e+", "abc", "1,5", "1.2.3", "0x10", "1f", "2d", "NaN",
        "Infinity", "-inf", "1 2", "--1", "1e5.5", "١٢"})
    void refusesWhatIsNotADecimalNumber(String text) {
        assertThatThrownBy(() -> Decimal.parse(text)).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void namesTheNonFiniteSpellings() {
        assertThat(Decimal.isNonFiniteWord("NaN")).isTrue();
        assertThat(Decimal.isNonFiniteWord(" -Infinity")).isTrue();
        assertThat(Decimal.isNonFiniteWord("inf")).isTrue();
        assertThat(Decimal.isNonFiniteWord("information")).isFalse();
    }
}
