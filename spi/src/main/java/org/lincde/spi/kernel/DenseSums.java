package org.lincde.spi.kernel;

import org.lincde.spi.Stability;

/**
 * The row loops around the GEMMs of a fused dense (and sparse) Linear CDE recurrence (SPEC §1.1 items 1
 * and 6), over primitive arrays, for backends that run the three {@code B × h(d+1) × h} products of a step
 * in their engine's GEMM and the rest in Java (docs/models/dense-sums.md). With
 * {@code Wᵣ = reshape(W, h, h·(d+1))}, one step is {@code s = z Wᵣᵀ} with {@code z = y ⊗ u} ({@link #outer});
 * its backward is {@code dz = ds Wᵣ}, contracted with {@code u} and {@code y} into the gradients of the
 * state and of the control ({@link #contract}), and {@code dWᵣ += dsᵀ z}. Each row is computed in a fixed
 * order whatever the thread split, so the results are deterministic.
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public final class DenseSums {
    private DenseSums() {}

    /**
     * One row of {@code z = y ⊗ u}: {@code z[zOff + q·d1 + c] = y[yOff + q]·u[uOff + c]}.
     *
     * @param h  state width
     * @param d1 control channels {@code d+1}
     */
    public static void outer(double[] y, int yOff, double[] u, int uOff, int h, int d1, double[] z, int zOff) {
        for (int q = 0; q < h; q++) {
            double yq = y[yOff + q];
            int o = zOff + q * d1;
            for (int c = 0; c < d1; c++) {
                z[o + c] = yq * u[uOff + c];
            }
        }
    }

    /**
     * One row of the backward contractions of {@code dz = ds Wᵣ} (row {@code (q, c)} order, {@code q}
     * slowest): adds {@code Σ_c dz[q·d1 + c]·u[c]} to {@code gy[gyOff + q]} (the state's gradient through
     * {@code z = y ⊗ u}) and writes {@code du[duOff + c] = Σ_q dz[q·d1 + c]·y[q]} (the control's).
     * The sums over {@code c} run in four interleaved partial sums (fixed order; the JIT keeps a
     * floating-point reduction scalar, and one chain of dependent adds would bound it by the add latency).
     */
    public static void contract(double[] dz, int dzOff, double[] y, int yOff, double[] u, int uOff, int h, int d1,
                                double[] gy, int gyOff, double[] du, int duOff) {
        java.util.Arrays.fill(du, duOff, duOff + d1, 0.0);
        for (int q = 0; q < h; q++) {
            int o = dzOff + q * d1;
            double a0 = 0;
            double a1 = 0;
            double a2 = 0;
            double a3 = 0;
            int c = 0;
            for (; c + 3 < d1; c += 4) {
                a0 += dz[o + c] * u[uOff + c];
                a1 += dz[o + c + 1] * u[uOff + c + 1];
                a2 += dz[o + c + 2] * u[uOff + c + 2];
                a3 += dz[o + c + 3] * u[uOff + c + 3];
            }
            for (; c < d1; c++) {
                a0 += dz[o + c] * u[uOff + c];
            }
            gy[gyOff + q] += (a0 + a1) + (a2 + a3);
            double yq = y[yOff + q];
            for (c = 0; c < d1; c++) {
                du[duOff + c] += dz[o + c] * yq;
            }
        }
    }

    /**
     * {@link #outer} for float32 tensors: {@code z[zOff + q·d1 + c] = y[yOff + q]·u[uOff + c]} in float, the
     * product a float32 engine forms.
     */
    public static void outer(float[] y, int yOff, float[] u, int uOff, int h, int d1, float[] z, int zOff) {
        for (int q = 0; q < h; q++) {
            float yq = y[yOff + q];
            int o = zOff + q * d1;
            for (int c = 0; c < d1; c++) {
                z[o + c] = yq * u[uOff + c];
            }
        }
    }

    /**
     * {@link #contract} for a float32 {@code dz}, accumulated in double: adds {@code Σ_c dz[q·d1 + c]·u[c]}
     * to {@code gy[gyOff + q]} and writes {@code du[duOff + c] = Σ_q dz[q·d1 + c]·y[q]}.
     */
    public static void contract(float[] dz, int dzOff, double[] y, int yOff, double[] u, int uOff, int h, int d1,
                                double[] gy, int gyOff, double[] du, int duOff) {
        java.util.Arrays.fill(du, duOff, duOff + d1, 0.0);
        for (int q = 0; q < h; q++) {
            int o = dzOff + q * d1;
            double a0 = 0;
            double a1 = 0;
            double a2 = 0;
            double a3 = 0;
            int c = 0;
            for (; c + 3 < d1; c += 4) {
                a0 += dz[o + c] * u[uOff + c];
                a1 += dz[o + c + 1] * u[uOff + c + 1];
                a2 += dz[o + c + 2] * u[uOff + c + 2];
                a3 += dz[o + c + 3] * u[uOff + c + 3];
            }
            for (; c < d1; c++) {
                a0 += dz[o + c] * u[uOff + c];
            }
            gy[gyOff + q] += (a0 + a1) + (a2 + a3);
            double yq = y[yOff + q];
            for (c = 0; c < d1; c++) {
                du[duOff + c] += dz[o + c] * yq;
            }
        }
    }
}
