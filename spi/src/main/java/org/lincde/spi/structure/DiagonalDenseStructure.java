package org.lincde.spi.structure;

import com.google.auto.service.AutoService;
import java.util.ArrayList;
import java.util.List;
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
 * D-DE-LNCDE (SPEC §1.5): diagonal on the first {@code h−b} coordinates ⊕ one dense {@code b×b}
 * block on the last {@code b}. Parameters {@code vf_A ∈ R^{(d+1)×(h−b)}} (init {@code N(0, init_std²)};
 * absent when {@code b = h}) and {@code vf_A_dense ∈ R^{(d+1)×b²}} (init {@code N(0, (init_std/√b)²)}),
 * R3's two tensors in R1's naming (R1 has no such model). The R1-style regulariser covers both
 * tensors (R3 uses none for this variant).
 */
@AutoService(Structure.class)
public final class DiagonalDenseStructure extends BuiltInStructure {
    /** Default dense block size (the paper's D-DE16). */
    public static final int DEFAULT_BLOCK = 16;

    public DiagonalDenseStructure() {
        super("diagonal-dense", spec -> "D-DE" + spec.intOption("block_size", DEFAULT_BLOCK) + "-LNCDE",
                "diagonal on h−b coordinates ⊕ one dense b×b block: (h−b)+b² parameters per channel",
                new Option("block_size", String.valueOf(DEFAULT_BLOCK), "dense block size b in [1, h]"));
    }

    @Override
    public StructuredVectorField configure(int hidden, int controlChannels, StructureSpec spec) {
        int b = spec.intOption("block_size", DEFAULT_BLOCK);
        if (b < 1 || b > hidden) {
            throw new InvalidOptionException("diagonal-dense.block_size", b, "must be in [1, h = " + hidden + "]");
        }
        return new Field(this, spec, hidden, controlChannels, b);
    }

    /** A configured diagonal-dense field. */
    public static final class Field extends BlockSizedField {
        Field(Structure s, StructureSpec spec, int h, int d1, int b) {
            super(s, spec, h, d1, b);
        }

        @Override
        public Optional<StepKernel> stepKernel() {
            return Optional.of(StepKernels.diagonalDense(h, b));
        }

        @Override
        public List<ParameterShape> parameters() {
            List<ParameterShape> s = new ArrayList<>();
            if (h > b) {
                s.add(trainable("vf_A", d1, h - b));
            }
            s.add(trainable("vf_A_dense", d1, b * b));
            return s;
        }

        @Override
        protected double initStdOf(String name, double initStd) {
            return name.equals("vf_A") ? initStd : initStd / Math.sqrt(b);
        }

        @Override
        public int coefficientCount() {
            return h - b + b * b;
        }

        @Override
        public <T> T coefficients(TensorOps<T> ops, ParameterLookup<T> p, T u) {
            T dense = ops.matmul(u, p.get("vf_A_dense"));
            return h > b ? ops.concat(List.of(ops.matmul(u, p.get("vf_A")), dense), 1) : dense;
        }

        @Override
        public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p, T coef, T y) {
            int n = ops.shape(y)[0];
            int k = h - b;
            T m = ops.reshape(ops.slice(coef, 1, k, k + b * b), n, b, b);
            T dense = ops.reshape(ops.matmul(m, ops.reshape(ops.slice(y, 1, k, h), n, b, 1)), n, b);
            if (k == 0) {
                return dense;
            }
            T diag = ops.mul(ops.slice(coef, 1, 0, k), ops.slice(y, 1, 0, k));
            return ops.concat(List.of(diag, dense), 1);
        }

        @Override
        public double[] denseMatrix(ParameterSet params, double[] u) {
            checkU(u, d1);
            int k = h - b;
            double[] m = k > 0 ? diagonalMatrix(project(u, params.get("vf_A").data(), d1, k), h) : new double[h * h];
            double[] blk = project(u, params.get("vf_A_dense").data(), d1, b * b);
            for (int r = 0; r < b; r++) {
                for (int c = 0; c < b; c++) {
                    m[(k + r) * h + (k + c)] = blk[r * b + c];
                }
            }
            return m;
        }

        @Override
        public int scanBlockSize() {
            return h % b == 0 ? b : h;
        }

        @Override
        public List<String> regularizedParameters() {
            return h > b ? List.of("vf_A", "vf_A_dense") : List.of("vf_A_dense");
        }
    }
}
