package org.lincde.spi.model.baseline;

import org.lincde.spi.TensorOps;

/**
 * A complex tensor as a pair of real tensors of equal (or broadcastable) shape: the explicit complex
 * arithmetic S4D, LRU and S5 need (SPEC §7: "complex arithmetic must be implemented explicitly").
 *
 * @param re real part
 * @param im imaginary part
 * @param <T> the backend's tensor type
 */
public record Complex<T>(T re, T im) {

    /** {@code a·b}. */
    public static <T> Complex<T> mul(TensorOps<T> ops, Complex<T> a, Complex<T> b) {
        return new Complex<>(ops.sub(ops.mul(a.re, b.re), ops.mul(a.im, b.im)),
                ops.add(ops.mul(a.re, b.im), ops.mul(a.im, b.re)));
    }

    /** {@code a + b}. */
    public static <T> Complex<T> add(TensorOps<T> ops, Complex<T> a, Complex<T> b) {
        return new Complex<>(ops.add(a.re, b.re), ops.add(a.im, b.im));
    }

    /** {@code r·a} for a real tensor {@code r}. */
    public static <T> Complex<T> scale(TensorOps<T> ops, Complex<T> a, T r) {
        return new Complex<>(ops.mul(a.re, r), ops.mul(a.im, r));
    }

    /** {@code exp(z) = e^{re}(cos im + i sin im)}. */
    public static <T> Complex<T> exp(TensorOps<T> ops, Complex<T> z) {
        T mag = ops.exp(z.re);
        return new Complex<>(ops.mul(mag, ops.cos(z.im)), ops.mul(mag, ops.sin(z.im)));
    }

    /** {@code a / b = a·conj(b) / |b|²}. */
    public static <T> Complex<T> div(TensorOps<T> ops, Complex<T> a, Complex<T> b) {
        T den = ops.add(ops.square(b.re), ops.square(b.im));
        T re = ops.add(ops.mul(a.re, b.re), ops.mul(a.im, b.im));
        T im = ops.sub(ops.mul(a.im, b.re), ops.mul(a.re, b.im));
        return new Complex<>(ops.div(re, den), ops.div(im, den));
    }

    /** The same values with another shape (both parts). */
    public static <T> Complex<T> reshape(TensorOps<T> ops, Complex<T> z, int... shape) {
        return new Complex<>(ops.reshape(z.re, shape), ops.reshape(z.im, shape));
    }
}
