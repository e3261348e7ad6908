package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * S5's initial state matrix (SPEC §2.6; S5 {@code make_DPLR_HiPPO}): the eigen-decomposition of the
 * normal part {@code S = A + P Pᵀ} of HiPPO-LegS, in plain Java double arithmetic at init time.
 *
 * <p>With {@code A_{nk} = −√((2n+1)(2k+1))} below the diagonal, {@code −(n+1)} on it, 0 above, and
 * {@code P_n = √(n + ½)}, one finds {@code S = −½ I + K} with the real skew-symmetric
 * {@code K_{nk} = sign(k − n)·√((n+½)(k+½))}. So every eigenvalue is {@code −½ + iω} (the authors set the
 * real part to the mean of {@code diag S}, which is exactly −½) and the eigenvectors are those of the
 * Hermitian {@code −iK}. They come in conjugate pairs; S5 keeps the half with {@code ω < 0}
 * ({@code eigh}'s ascending order, first {@code n/2}).
 *
 * <p>Method: the symmetric positive-definite {@code KᵀK = −K²} is diagonalised by cyclic Jacobi rotations;
 * each of its eigenvalues {@code ω²} spans a 2-D invariant plane of {@code K}. For a unit {@code u} in that
 * plane, {@code w = Ku/ω} completes an orthonormal pair with {@code K(u + iw) = −iω(u + iw)}, so
 * {@code v = (u + iw)/√2} is a unit eigenvector of {@code S} for {@code −½ − iω}. Eigenvector phases
 * differ from LAPACK's (any unit phase is an eigenvector too); the SSM's input–output map
 * {@code C̃ diag(·) B̃ = C V diag(·) V^H B} does not depend on them.
 */
public final class HippoLegS {
    private HippoLegS() {}

    /**
     * The kept half of the eigen-decomposition of a block of size {@code n}, in ascending order of the
     * imaginary part.
     *
     * @param lambdaRe real parts (all −½), length {@code n/2}
     * @param lambdaIm imaginary parts {@code −ω}, ascending, length {@code n/2}
     * @param vRe      real parts of the eigenvectors, {@code n × n/2} (column j for eigenvalue j)
     * @param vIm      imaginary parts, {@code n × n/2}
     */
    public record Eigen(double[] lambdaRe, double[] lambdaIm, double[][] vRe, double[][] vIm) {}

    /** The normal part {@code S} of HiPPO-LegS, {@code n × n}. */
    public static double[][] normalPart(int n) {
        double[][] s = skewPart(n);
        for (int i = 0; i < n; i++) {
            s[i][i] = -0.5;
        }
        return s;
    }

    /** The kept eigenpairs of {@link #normalPart(int)}; {@code n} must be even and positive. */
    public static Eigen normalPartEigen(int n) {
        if (n <= 0 || n % 2 != 0) {
            throw new IllegalArgumentException("HiPPO block size must be even and positive, got " + n);
        }
        double[][] k = skewPart(n);
        double[][] m = new double[n][n]; // KᵀK
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int r = 0; r < n; r++) {
                    acc += k[r][i] * k[r][j];
                }
                m[i][j] = acc;
            }
        }
        double[] sigma = new double[n];
        double[][] vec = new double[n][n];
        jacobi(m, sigma, vec);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -sigma[i]));
        List<double[]> basis = new ArrayList<>();
        int half = n / 2;
        double[] lambdaIm = new double[half];
        double[][] vRe = new double[n][half];
        double[][] vIm = new double[n][half];
        int found = 0;
        for (int idx = 0; idx < n && found < half; idx++) {
            double[] u = new double[n];
            for (int r = 0; r < n; r++) {
                u[r] = vec[r][order[idx]];
            }
            for (int pass = 0; pass < 2; pass++) {
                for (double[] q : basis) {
                    double dot = dot(u, q);
                    for (int r = 0; r < n; r++) {
                        u[r] -= dot * q[r];
                    }
                }
            }
            double norm = Math.sqrt(dot(u, u));
            if (norm < 0.5) {
                continue; // the partner of an earlier vector: its plane is already taken
            }
            for (int r = 0; r < n; r++) {
                u[r] /= norm;
            }
            double[] w = new double[n];
            for (int r = 0; r < n; r++) {
                double acc = 0;
                for (int c = 0; c < n; c++) {
                    acc += k[r][c] * u[c];
                }
                w[r] = acc;
            }
            double omega = Math.sqrt(dot(w, w));
            if (omega < 1e-12) {
                throw new IllegalStateException("HiPPO normal part of size " + n + " has a zero eigenvalue");
            }
            for (int r = 0; r < n; r++) {
                w[r] /= omega;
            }
            basis.add(u);
            basis.add(w);
            lambdaIm[found] = -omega;
            double inv = 1.0 / Math.sqrt(2.0);
            for (int r = 0; r < n; r++) {
                vRe[r][found] = u[r] * inv;
                vIm[r][found] = w[r] * inv;
            }
            found++;
        }
        if (found != half) {
            throw new IllegalStateException("HiPPO eigen-decomposition of size " + n + " found " + found
                    + " of " + half + " eigenvector pairs");
        }
        double[] lambdaRe = new double[half];
        Arrays.fill(lambdaRe, -0.5);
        return new Eigen(lambdaRe, lambdaIm, vRe, vIm);
    }

    private static double[][] skewPart(int n) {
        double[][] k = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                if (r != c) {
                    k[r][c] = Math.signum(c - r) * Math.sqrt((r + 0.5) * (c + 0.5));
                }
            }
        }
        return k;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Cyclic Jacobi eigenvalue algorithm for a symmetric matrix. Read and destroyed: {@code a}. Written:
     * {@code d} (eigenvalues), {@code v} (eigenvectors as columns).
     */
    static void jacobi(double[][] a, double[] d, double[][] v) {
        int n = a.length;
        double total = 0;
        for (int i = 0; i < n; i++) {
            Arrays.fill(v[i], 0.0);
            v[i][i] = 1.0;
            for (int j = 0; j < n; j++) {
                total += a[i][j] * a[i][j];
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-30 * total) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0.0) {
                        continue;
                    }
                    // rotation J (c at pp, qq; s at pq; −s at qp) with (JᵀAJ)_pq = 0
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = (theta >= 0 ? 1.0 : -1.0) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1.0 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            d[i] = a[i][i];
        }
    }
}
