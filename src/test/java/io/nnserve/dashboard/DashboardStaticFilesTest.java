package io.nnserve.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Checks of the dashboard's files that need no browser: the script only looks up elements the page has, every form
 * control has a label, and nothing is loaded from another origin (the page must work without external network).
 */
class DashboardStaticFilesTest {

    private static final Pattern ID_ATTRIBUTE = Pattern.compile("\\sid=\"([^\"]+)\"");

    @Test
    void everyElementTheScriptLooksUpExistsInThePage() throws IOException {
        String html = resource("index.html");
        String js = resource("app.js");
        Set<String> ids = matches(ID_ATTRIBUTE, html);
        Set<String> looked = matches(Pattern.compile("\\$\\('([\\w-]+)'\\)"), js);

        assertThat(looked).as("ids the script looks up").hasSizeGreaterThan(40);
        assertThat(ids).containsAll(looked);
    }

    @Test
    void idsAreUnique() throws IOException {
        String html = resource("index.html");
        Matcher m = ID_ATTRIBUTE.matcher(html);
        Set<String> seen = new LinkedHashSet<>();
        while (m.find()) {
            assertThat(seen.add(m.group(1))).as("id %s appears once", m.group(1)).isTrue();
        }
    }

    @Test
    void everyFormControlHasALabel() throws IOException {
        String html = resource("index.html");
        Set<String> labelled = matches(Pattern.compile("<label for=\"([^\"]+)\""), html);
        Matcher control = Pattern.compile("<(input|select|textarea)\\b([^>]*)>").matcher(html);
        int controls = 0;
        while (control.find()) {
            controls++;
            String attributes = control.group(2);
            Matcher id = ID_ATTRIBUTE.matcher(attributes);
            boolean hasLabel = attributes.contains("aria-label=")
                    || (id.find() && labelled.contains(id.group(1)));
            assertThat(hasLabel).as("<%s%s> has a label", control.group(1), attributes).isTrue();
        }
        assertThat(controls).isGreaterThan(15);
    }

    @Test
    void nothingIsFetchedFromAnotherOrigin() throws IOException {
        for (String file : new String[] {"index.html", "app.js", "app.css"}) {
            String text = resource(file);
            assertThat(text).as(file).doesNotContainPattern("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/")
                    .doesNotContainPattern("(?i)@import\\s+url");
        }
    }

    @Test
    void theKeyTravelsAsABearerHeaderAndEventsAreReadWithFetch() throws IOException {
        String js = resource("app.js");
        // EventSource cannot send an Authorization header, so the live curve must not depend on it.
        assertThat(js).contains("'Bearer ' + key").doesNotContain("new EventSource");
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DashboardStaticFilesTest.class.getResourceAsStream("/static/" + name)) {
            assertThat(in).as("static/" + name + " on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
