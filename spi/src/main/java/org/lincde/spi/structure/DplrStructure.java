package org.lincde.spi.structure;

import com.google.auto.service.AutoService;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.lincde.spi.InvalidOptionException;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;
import org.lincde.spi.kernel.StepKernel;
import org.lincde.spi.kernel.StepKernels;

/**
 * DPLR-LNCDE (SPEC §1.1 item 5): diagonal plus low rank. Parameters {@code vf_A ∈ R^{(d+1)×h}}
 * (init {@code N(0, init_std²)}) and {@code vf_A_u, vf_A_v ∈ R^{(d+1)×(h·r)}} (init
 * {@code N(0, (init_std/√r)²)}).
 * <ul>
 *   <li>{@code form=quadratic} (R1, the default; SPEC [QUIRK]): {@code U(u) = reshape_{h×r}(uᵀW_u)},
 *       {@code V(u) = reshape_{h×r}(uᵀW_v)}, {@code s = (uᵀW_a) ⊙ y + U(u)(V(u)ᵀ y)} — the low-rank
 *       part is quadratic in the input.</li>
 *   <li>{@code form=linear} (R3, SPEC §1.5): {@code A(u) = diag(uᵀW_a) + Σ_c u_c U_c V_cᵀ} with
 *       {@code U_c = reshape_{h×r}(W_u[c])}: linear in the input, like every other structure.</li>
 * </ul>
 * With rank 0 (or {@code U = V = 0}) it is the diagonal structure.
 */
@AutoService(Structure.class)
public final class DplrStructure extends BuiltInStructure {
    /** Default rank (the paper's DPLR4). */
    public static final int DEFAULT_RANK = 4;

    /** How the low-rank part depends on the input. */
    public enum Form {
        /** R1: {@code U(u)V(u)ᵀ}. */
        QUADRATIC,
        /** R3: {@code Σ_c u_c U_c V_cᵀ}. */
        LINEAR
    }

    public DplrStructure() {
        super("dplr", spec -> "DPLR" + spec.intOption("rank", DEFAULT_RANK) + "-LNCDE",
                "diagonal plus rank-r: h(1+2r) parameters per channel, maximally expressive",
                new Option("rank", String.valueOf(DEFAULT_RANK), "rank r ≥ 0 of the low-rank part"),
                new Option("form", "quadratic", "quadratic (R1: U(u)V(u)ᵀ) or linear (R3: Σ u_c U_c V_cᵀ)"));
    }

    @Override
    public StructuredVectorField configure(int hidden, int controlChannels, StructureSpec spec) {
        int r = spec.intOption("rank", DEFAULT_RANK);
        if (r < 0) {
            throw new InvalidOptionException("dplr.rank", r, "must be >= 0");
        }
        String f = spec.stringOption("form", "quadratic");
        Form form;
        try {
            form = Form.valueOf(f.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("dplr.form", f, "expected quadratic or linear");
        }
        return new Field(this, spec, hidden, controlChannels, r, form);
    }

    /** A configured DPLR field. */
    public static final class Field extends BuiltInField {
        private final int r;
        private final Form form;

        Field(Structure s, StructureSpec spec, int h, int d1, int r, Form form) {
            super(s, spec, h, d1);
            this.r = r;
            this.form = form;
        }

        /** Rank {@code r}. */
        public int rank() {
            return r;
        }

        /** Quadratic (R1) or linear (R3). */
        public Form form() {
            return form;
        }

        /** Diagonal for rank 0, R1's quadratic form fused; the linear form reads parameters in its step: none. */
        @Override
        public Optional<StepKernel> stepKernel() {
            if (r == 0) {
                return Optional.of(StepKernels.diagonal(h));
            }
            return form == Form.QUADRATIC ? Optional.of(StepKernels.dplr(h, r)) : Optional.empty();
        }

        @Override
        public List<ParameterShape> parameters() {
            List<ParameterShape> s = new ArrayList<>();
            s.add(trainable("vf_A", d1, h));
            if (r > 0) {
                s.add(trainable("vf_A_u", d1, h * r));
                s.add(trainable("vf_A_v", d1, h * r));
            }
            return s;
        }

        @Override
        protected double initStdOf(String name, double initStd) {
            return name.equals("vf_A") ? initStd : initStd / Math.sqrt(r);
        }

        @Override
        public int coefficientCount() {
            if (r == 0) {
                return h;
            }
            return form == Form.QUADRATIC ? h + 2 * h * r : h + d1;
        }

        @Override
        public <T> T coefficients(TensorOps<T> ops, ParameterLookup<T> p, T u) {
            T a = ops.matmul(u, p.get("vf_A"));
            if (r == 0) {
                return a;
            }
            if (form == Form.QUADRATIC) {
                return ops.concat(List.of(a, ops.matmul(u, p.get("vf_A_u")), ops.matmul(u, p.get("vf_A_v"))), 1);
            }
            return ops.concat(List.of(a, u), 1);
        }

        @Override
        public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p, T coef, T y) {
            if (r == 0) {
                return ops.mul(coef, y);
            }
            int n = ops.shape(y)[0];
            T diag = ops.mul(ops.slice(coef, 1, 0, h), y);
            if (form == Form.QUADRATIC) {
                T uu = ops.reshape(ops.slice(coef, 1, h, h + h * r), n, h, r);
                T vv = ops.reshape(ops.slice(coef, 1, h + h * r, h + 2 * h * r), n, h, r);
                T vty = ops.matmul(ops.transpose(vv, 1, 2), ops.reshape(y, n, h, 1)); // (n, r, 1)
                return ops.add(diag, ops.reshape(ops.matmul(uu, vty), n, h));
            }
            // linear: z[n,c,k] = Σ_p W_v[c, p·r+k] y[n,p], weighted by u_c, then Σ_{c,k} z U_c[p,k]
            T u = ops.slice(coef, 1, h, h + d1);
            T wv = ops.reshape(ops.transpose(ops.reshape(p.get("vf_A_v"), d1, h, r), 0, 1), h, d1 * r);
            T z = ops.mul(ops.reshape(ops.matmul(y, wv), n, d1, r), ops.reshape(u, n, d1, 1));
            T wu = ops.reshape(ops.transpose(ops.reshape(p.get("vf_A_u"), d1, h, r), 1, 2), d1 * r, h);
            return ops.add(diag, ops.matmul(ops.reshape(z, n, d1 * r), wu));
        }

        @Override
        public double[] denseMatrix(ParameterSet params, double[] u) {
            checkU(u, d1);
            double[] m = diagonalMatrix(project(u, params.get("vf_A").data(), d1, h), h);
            if (r == 0) {
                return m;
            }
            double[] wu = params.get("vf_A_u").data();
            double[] wv = params.get("vf_A_v").data();
            if (form == Form.QUADRATIC) {
                double[] uu = project(u, wu, d1, h * r);
                double[] vv = project(u, wv, d1, h * r);
                for (int p = 0; p < h; p++) {
                    for (int q = 0; q < h; q++) {
                        double acc = 0;
                        for (int k = 0; k < r; k++) {
                            acc += uu[p * r + k] * vv[q * r + k];
                        }
                        m[p * h + q] += acc;
                    }
                }
            } else {
                for (int c = 0; c < d1; c++) {
                    int base = c * h * r;
                    for (int p = 0; p < h; p++) {
                        for (int q = 0; q < h; q++) {
                            double acc = 0;
                            for (int k = 0; k < r; k++) {
                                acc += wu[base + p * r + k] * wv[base + q * r + k];
                            }
                            m[p * h + q] += u[c] * acc;
                        }
                    }
                }
            }
            return m;
        }

        @Override
        public int scanBlockSize() {
            return r == 0 ? 1 : h;
        }

        @Override
        public List<String> regularizedParameters() {
            return List.of("vf_A");
        }
    }
}
