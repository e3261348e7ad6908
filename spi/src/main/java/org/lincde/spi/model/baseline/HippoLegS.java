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
 * Hermitian {@code −iK}, whose eigenvalues {@code ω} come in pairs {@code ±ω}; S5 keeps the half with
 * {@code ω < 0} ({@code eigh}'s ascending order, first {@code n/2}).
 *
 * <p>Method: the Hermitian {@code H = −iK} acts on {@code v = a + ib} as the real symmetric
 * {@code [[0, K], [−K, 0]]} on {@code [a; b]}, which cyclic Jacobi rotations diagonalise; each eigenvalue of
 * {@code H} appears there twice ({@code v} and {@code iv}), so the {@code n} smallest real eigenvectors are
 * orthogonalised in the complex sense and every second one, being {@code i} times an earlier one, dropped.
 * Then {@code S v = (−½ + iω) v} for {@code Hv = ωv}. Eigenvector phases differ from LAPACK's (any unit
 * phase is an eigenvector too); the SSM's input–output map {@code C̃ diag(·) B̃ = C V diag(·) V^H B} does not
 * depend on them.
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
        // real form of H = −iK acting on v = a + ib: [[0, K], [−K, 0]] [a; b]
        int m = 2 * n;
        double[][] real = new double[m][m];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                real[r][n + c] = k[r][c];
                real[n + r][c] = -k[r][c];
            }
        }
        double[] eig = new double[m];
        double[][] vec = new double[m][m];
        jacobi(real, eig, vec);
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> eig[i]));
        int half = n / 2;
        double[] lambdaIm = new double[half];
        double[][] vRe = new double[n][half];
        double[][] vIm = new double[n][half];
        List<double[][]> chosen = new ArrayList<>();
        // every eigenvalue of H appears twice in the real form (v and iv); the n smallest hold the kept half
        for (int idx = 0; idx < n && chosen.size() < half; idx++) {
            double[] re = new double[n];
            double[] im = new double[n];
            for (int r = 0; r < n; r++) {
                re[r] = vec[r][order[idx]];
                im[r] = vec[n + r][order[idx]];
            }
            for (int pass = 0; pass < 2; pass++) {
                for (double[][] q : chosen) {
                    // v ← v − (q^H v) q
                    double dr = 0;
                    double di = 0;
                    for (int r = 0; r < n; r++) {
                        dr += q[0][r] * re[r] + q[1][r] * im[r];
                        di += q[0][r] * im[r] - q[1][r] * re[r];
                    }
                    for (int r = 0; r < n; r++) {
                        re[r] -= dr * q[0][r] - di * q[1][r];
                        im[r] -= dr * q[1][r] + di * q[0][r];
                    }
                }
            }
            double norm = Math.sqrt(dot(re, re) + dot(im, im));
            if (norm < 0.5) {
                continue; // i·(an earlier vector): the same complex eigenvector
            }
            for (int r = 0; r < n; r++) {
                re[r] /= norm;
                im[r] /= norm;
            }
            int j = chosen.size();
            chosen.add(new double[][] {re, im});
            lambdaIm[j] = eig[order[idx]];
            for (int r = 0; r < n; r++) {
                vRe[r][j] = re[r];
                vIm[r][j] = im[r];
            }
        }
        if (chosen.size() != half) {
            throw new IllegalStateException("HiPPO eigen-decomposition of size " + n + " found " + chosen.size()
                    + " of " + half + " eigenvectors");
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
