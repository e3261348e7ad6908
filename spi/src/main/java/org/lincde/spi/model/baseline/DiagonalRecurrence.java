package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.TensorOps;

/**
 * All states of a diagonal linear recurrence {@code h_t = a_t ⊙ h_{t−1} + b_t} with {@code h_0 = 0}
 * (S6, S4D, LRU, S5: SPEC §2.2–2.6, §7), real or complex, evaluated two ways that give the same states:
 * <ul>
 *   <li>{@link #recurrent}: a sequential loop over time (the inputs are split once with
 *       {@link TensorOps#unstack}, never sliced per step);</li>
 *   <li>{@link #scan}: a Hillis–Steele inclusive scan of depth {@code ⌈log₂ L⌉} over the pairs
 *       {@code (a_t, b_t)} with the associative operator
 *       {@code (a₁, b₁) ∘ (a₂, b₂) = (a₂a₁, a₂b₁ + b₂)} (earlier element first), built from slices and
 *       concatenations along time.</li>
 * </ul>
 * Shapes: {@code b} is {@code (B, L, ...)}; {@code a} broadcasts against it and has time extent
 * {@code L} (input-dependent, S6) or 1 (time-invariant, S4D/LRU/S5).
 */
public final class DiagonalRecurrence {
    private DiagonalRecurrence() {}

    /** The states {@code (B, L, ...)} by the evaluation {@code e} asks for. */
    public static <T> T states(TensorOps<T> ops, T a, T b, ForwardMode.Evaluation e) {
        return e == ForwardMode.Evaluation.SCAN ? scan(ops, a, b) : recurrent(ops, a, b);
    }

    /** Complex states by the evaluation {@code e} asks for. */
    public static <T> Complex<T> states(TensorOps<T> ops, Complex<T> a, Complex<T> b, ForwardMode.Evaluation e) {
        return e == ForwardMode.Evaluation.SCAN ? scan(ops, a, b) : recurrent(ops, a, b);
    }

    /** Sequential loop over time. */
    public static <T> T recurrent(TensorOps<T> ops, T a, T b) {
        int len = checkTime(ops, a, b);
        List<T> as = timeSteps(ops, a, len);
        List<T> bs = ops.unstack(b, 1);
        List<T> hs = new ArrayList<>(len);
        T h = bs.get(0); // a_1 ⊙ 0 + b_1
        hs.add(h);
        for (int t = 1; t < len; t++) {
            h = ops.add(ops.mul(as.get(as.size() == 1 ? 0 : t), h), bs.get(t));
            hs.add(h);
        }
        return ops.stack(hs, 1);
    }

    /** Sequential loop over time, complex. */
    public static <T> Complex<T> recurrent(TensorOps<T> ops, Complex<T> a, Complex<T> b) {
        int len = checkTime(ops, a.re(), b.re());
        List<T> ar = timeSteps(ops, a.re(), len);
        List<T> ai = timeSteps(ops, a.im(), len);
        List<T> br = ops.unstack(b.re(), 1);
        List<T> bi = ops.unstack(b.im(), 1);
        List<T> hr = new ArrayList<>(len);
        List<T> hi = new ArrayList<>(len);
        Complex<T> h = new Complex<>(br.get(0), bi.get(0));
        hr.add(h.re());
        hi.add(h.im());
        for (int t = 1; t < len; t++) {
            int at = ar.size() == 1 ? 0 : t;
            h = Complex.add(ops, Complex.mul(ops, new Complex<>(ar.get(at), ai.get(at)), h),
                    new Complex<>(br.get(t), bi.get(t)));
            hr.add(h.re());
            hi.add(h.im());
        }
        return new Complex<>(ops.stack(hr, 1), ops.stack(hi, 1));
    }

    /** Hillis–Steele associative scan along time. */
    public static <T> T scan(TensorOps<T> ops, T a, T b) {
        int len = checkTime(ops, a, b);
        T pa = expandTime(ops, a, len);
        T pb = b;
        for (int off = 1; off < len; off <<= 1) {
            T aLater = ops.slice(pa, 1, off, len);
            T aEarlier = ops.slice(pa, 1, 0, len - off);
            T bEarlier = ops.slice(pb, 1, 0, len - off);
            T bLater = ops.slice(pb, 1, off, len);
            // (a_e, b_e) ∘ (a_l, b_l) = (a_l a_e, a_l b_e + b_l) for every t ≥ off
            pb = ops.concat(List.of(ops.slice(pb, 1, 0, off), ops.add(ops.mul(aLater, bEarlier), bLater)), 1);
            if (off << 1 < len) {
                pa = ops.concat(List.of(ops.slice(pa, 1, 0, off), ops.mul(aLater, aEarlier)), 1);
            }
        }
        return pb;
    }

    /** Hillis–Steele associative scan along time, complex. */
    public static <T> Complex<T> scan(TensorOps<T> ops, Complex<T> a, Complex<T> b) {
        int len = checkTime(ops, a.re(), b.re());
        Complex<T> pa = new Complex<>(expandTime(ops, a.re(), len), expandTime(ops, a.im(), len));
        Complex<T> pb = b;
        for (int off = 1; off < len; off <<= 1) {
            Complex<T> aLater = slice(ops, pa, off, len);
            Complex<T> aEarlier = slice(ops, pa, 0, len - off);
            Complex<T> bEarlier = slice(ops, pb, 0, len - off);
            Complex<T> bLater = slice(ops, pb, off, len);
            Complex<T> nb = Complex.add(ops, Complex.mul(ops, aLater, bEarlier), bLater);
            pb = concat(ops, slice(ops, pb, 0, off), nb);
            if (off << 1 < len) {
                pa = concat(ops, slice(ops, pa, 0, off), Complex.mul(ops, aLater, aEarlier));
            }
        }
        return pb;
    }

    private static <T> Complex<T> slice(TensorOps<T> ops, Complex<T> z, int start, int end) {
        return new Complex<>(ops.slice(z.re(), 1, start, end), ops.slice(z.im(), 1, start, end));
    }

    private static <T> Complex<T> concat(TensorOps<T> ops, Complex<T> head, Complex<T> tail) {
        return new Complex<>(ops.concat(List.of(head.re(), tail.re()), 1), ops.concat(List.of(head.im(), tail.im()), 1));
    }

    private static <T> int checkTime(TensorOps<T> ops, T a, T b) {
        int[] bs = ops.shape(b);
        int[] as = ops.shape(a);
        if (bs.length < 2 || as.length != bs.length) {
            throw new IllegalArgumentException("diagonal recurrence: b must be (B, L, ...) and a of the same rank, got "
                    + java.util.Arrays.toString(as) + " and " + java.util.Arrays.toString(bs));
        }
        int len = bs[1];
        if (len < 1 || (as[1] != len && as[1] != 1)) {
            throw new IllegalArgumentException("diagonal recurrence: a has time extent " + as[1] + ", b has " + len);
        }
        return len;
    }

    /** The per-step factors: one shared factor (time-invariant) or the time steps of {@code a}. */
    private static <T> List<T> timeSteps(TensorOps<T> ops, T a, int len) {
        int[] s = ops.shape(a);
        if (s[1] == 1) {
            int[] rest = new int[s.length - 1];
            rest[0] = s[0];
            System.arraycopy(s, 2, rest, 1, s.length - 2);
            return List.of(ops.reshape(a, rest));
        }
        return ops.unstack(a, 1);
    }

    /** {@code a} repeated along time when it is time-invariant (the scan needs one factor per step). */
    private static <T> T expandTime(TensorOps<T> ops, T a, int len) {
        int[] s = ops.shape(a);
        if (s[1] == len) {
            return a;
        }
        int[] ones = new int[s.length];
        java.util.Arrays.fill(ones, 1);
        ones[1] = len;
        return ops.mul(a, ops.full(1.0, ones));
    }
}
