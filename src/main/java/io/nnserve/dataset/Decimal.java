package io.nnserve.dataset;

import java.util.Locale;

/**
 * Strict, fast parsing of decimal numbers as written in CSV files: {@code [+-]digits[.digits][e[+-]digits]}
 * (or {@code .5}). Unlike {@link Double#parseDouble} it refuses hexadecimal, type suffixes ({@code 1f}, {@code 2d}),
 * {@code NaN} and {@code Infinity}. Short numbers (up to 15 significant digits and a small exponent, i.e. nearly all
 * data) take an exact fast path: an integer mantissa and a power of ten are both exact doubles, so one IEEE
 * multiplication or division gives the correctly rounded result, the same as {@code parseDouble}.
 */
final class Decimal {

    private static final double[] POWERS = new double[23];
    private static final long FAST_MANTISSA = 1L << 53;

    static {
        double p = 1;
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = p;
            p *= 10;
        }
    }

    private Decimal() {
    }

    static double parse(String s) {
        return parse(s.toCharArray(), 0, s.length());
    }

    /** Parses {@code c[from, to)}; throws NumberFormatException when it is not a decimal number. */
    static double parse(char[] c, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (c[i] == '+' || c[i] == '-')) {
            negative = c[i] == '-';
            i++;
        }
        long mantissa = 0;
        boolean exact = true;
        int scale = 0;
        int digits = 0;
        while (i < to && isDigit(c[i])) {
            if (mantissa < FAST_MANTISSA / 10) {
                mantissa = mantissa * 10 + (c[i] - '0');
            } else {
                exact = false;
            }
            digits++;
            i++;
        }
        if (i < to && c[i] == '.') {
            i++;
            while (i < to && isDigit(c[i])) {
                if (mantissa < FAST_MANTISSA / 10) {
                    mantissa = mantissa * 10 + (c[i] - '0');
                    scale--;
                } else {
                    exact = false;
                }
                digits++;
                i++;
            }
        }
        if (digits == 0) {
            throw new NumberFormatException();
        }
        if (i < to && (c[i] == 'e' || c[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && (c[i] == '+' || c[i] == '-')) {
                negativeExponent = c[i] == '-';
                i++;
            }
            int exponent = 0;
            int exponentDigits = 0;
            while (i < to && isDigit(c[i])) {
                exponent = Math.min(exponent * 10 + (c[i] - '0'), 100_000);
                exponentDigits++;
                i++;
            }
            if (exponentDigits == 0) {
                throw new NumberFormatException();
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        if (i != to) {
            throw new NumberFormatException();
        }
        if (exact && scale >= -22 && scale <= 22) {
            double value = scale >= 0 ? mantissa * POWERS[scale] : mantissa / POWERS[-scale];
            return negative ? -value : value;
        }
        return Double.parseDouble(new String(c, from, to - from));
    }

    /** True for the spellings of NaN and infinity that people and other tools write. */
    static boolean isNonFiniteWord(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("+") || t.startsWith("-")) {
            t = t.substring(1);
        }
        return t.equals("nan") || t.equals("inf") || t.equals("infinity");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
