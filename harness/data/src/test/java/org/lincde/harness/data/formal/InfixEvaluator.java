package org.lincde.harness.data.formal;

import java.math.BigInteger;

/**
 * Test oracle: evaluates an infix string over digits, {@code + - * ( )} exactly (BigInteger) with
 * Python's rules for these operators: unary minus binds tighter than {@code *}, {@code *} before
 * {@code + -}, left to right. Written independently of the generators.
 */
final class InfixEvaluator {
    private final String s;
    private int pos;

    private InfixEvaluator(String s) {
        this.s = s;
    }

    /** The exact value of {@code expression}. */
    static BigInteger evaluate(String expression) {
        InfixEvaluator e = new InfixEvaluator(expression);
        BigInteger v = e.sum();
        if (e.pos != expression.length()) {
            throw new IllegalArgumentException("trailing input at " + e.pos + " in " + expression);
        }
        return v;
    }

    /** {@code evaluate(expression) mod 5}, non-negative (Python's {@code %}). */
    static int mod5(String expression) {
        return evaluate(expression).mod(BigInteger.valueOf(5)).intValueExact();
    }

    private BigInteger sum() {
        BigInteger v = product();
        while (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
            char op = s.charAt(pos++);
            BigInteger r = product();
            v = op == '+' ? v.add(r) : v.subtract(r);
        }
        return v;
    }

    private BigInteger product() {
        BigInteger v = unary();
        while (pos < s.length() && s.charAt(pos) == '*') {
            pos++;
            v = v.multiply(unary());
        }
        return v;
    }

    private BigInteger unary() {
        if (s.charAt(pos) == '-') {
            pos++;
            return unary().negate();
        }
        if (s.charAt(pos) == '(') {
            pos++;
            BigInteger v = sum();
            if (s.charAt(pos++) != ')') {
                throw new IllegalArgumentException("missing ) at " + (pos - 1) + " in " + s);
            }
            return v;
        }
        char c = s.charAt(pos++);
        if (c < '0' || c > '9') {
            throw new IllegalArgumentException("unexpected '" + c + "' at " + (pos - 1) + " in " + s);
        }
        return BigInteger.valueOf(c - '0');
    }
}
