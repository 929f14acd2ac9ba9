package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import tools.jackson.databind.json.JsonMapper;

/** A refused key is logged for the operator, without the key, and a client trying keys cannot flood the log. */
@ExtendWith(OutputCaptureExtension.class)
class RefusedKeyLogTest {

    private static final String KEY = "predict-only-key-0123456789";
    private final ApiKeyFilter filter = new ApiKeyFilter(new SecurityProperties(List.of(ApiKey.parse(KEY + ":predict")),
            false, true, List.of()), new ProblemResponses(JsonMapper.builder().build()));

    private int send(String path, String authorization) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setRemoteAddr("192.0.2.7");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response.getStatus();
    }

    @Test
    void aRefusedKeyIsLoggedOnceAWhileAndNeverShown(CapturedOutput output) throws Exception {
        assertThat(send("/train", null)).as("no key: ordinary, not logged").isEqualTo(401);
        assertThat(output.getOut()).doesNotContain("refused");

        assertThat(send("/train", "Bearer " + KEY)).isEqualTo(403);
        assertThat(output.getOut()).contains("refused 403 POST /train from 192.0.2.7: This API key lacks the scope")
                .doesNotContain(KEY);

        String guessed = "guessed-key-aaaaaaaaaaaaaaaaa";
        for (int i = 0; i < 50; i++) {
            assertThat(send("/datasets", "Bearer " + guessed + i)).isEqualTo(401);
        }
        assertThat(output.getOut().lines().filter(l -> l.contains("refused")).count())
                .as("one line per interval, however many refusals").isEqualTo(1);
        assertThat(output.getOut()).doesNotContain("guessed-key");
    }
}
