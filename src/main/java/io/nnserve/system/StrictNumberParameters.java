package io.nnserve.system;

import java.beans.PropertyEditorSupport;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Whole numbers in query parameters ({@code ?since=}, {@code ?page=}, {@code ?offset=}) in plain ASCII decimal only.
 * Spring's default editors also read {@code 0x10} and {@code #10} as hexadecimal and accept digits of other scripts
 * (and a converter cannot stop that: when one fails, Spring falls back to those editors); a client that sends such a
 * value has made a mistake, and gets the usual 400 naming the parameter.
 */
@ControllerAdvice
class StrictNumberParameters {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+");

    @InitBinder
    void wholeNumbersInDecimal(WebDataBinder binder) {
        binder.registerCustomEditor(int.class, new Decimal(Integer::valueOf));
        binder.registerCustomEditor(Integer.class, new Decimal(Integer::valueOf));
        binder.registerCustomEditor(long.class, new Decimal(Long::valueOf));
        binder.registerCustomEditor(Long.class, new Decimal(Long::valueOf));
    }

    /** Parses with {@code parse} what is a plain decimal number; anything else is an IllegalArgumentException. */
    private static final class Decimal extends PropertyEditorSupport {
        private final Function<String, Number> parse;

        Decimal(Function<String, Number> parse) {
            this.parse = parse;
        }

        @Override
        public void setAsText(String text) {
            String trimmed = text == null ? "" : text.strip();
            if (!DECIMAL.matcher(trimmed).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a whole number in decimal digits");
            }
            setValue(parse.apply(trimmed));
        }
    }
}
