package org.lincde.spi.structure;

import com.google.auto.service.AutoService;
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
 * BD-LNCDE (SPEC §1.1 item 3): each {@code A_i} block-diagonal with {@code h/b} blocks of size
 * {@code b×b}. Parameter {@code vf_A ∈ R^{(d+1)×(h·b)}}, init {@code N(0, (init_std/√b)²)};
 * {@code m = uᵀ W} reshaped to {@code (h/b, b, b)} (block slowest, then row, then column) and
 * {@code s_j = M_j y_j} per block. Block-diagonal matrices are closed under products, so the
 * associative scan composes {@code b×b} blocks.
 */
@AutoService(Structure.class)
public final class BlockDiagonalStructure extends BuiltInStructure {
    /** Default block size (the paper's BD4). */
    public static final int DEFAULT_BLOCK = 4;

    public BlockDiagonalStructure() {
        super("block-diagonal", spec -> "BD" + spec.intOption("block_size", DEFAULT_BLOCK) + "-LNCDE",
                "block-diagonal A_i with b×b blocks: h·b parameters per channel, closed under products",
                new Option("block_size", String.valueOf(DEFAULT_BLOCK), "block size b ≥ 1, must divide h"));
    }

    @Override
    public StructuredVectorField configure(int hidden, int controlChannels, StructureSpec spec) {
        int b = spec.intOption("block_size", DEFAULT_BLOCK);
        if (b < 1) {
            throw new InvalidOptionException("block-diagonal.block_size", b, "must be >= 1");
        }
        if (hidden % b != 0) {
            throw new InvalidOptionException("block-diagonal.block_size", b, "must divide the hidden size h = "
                    + hidden);
        }
        return new Field(this, spec, hidden, controlChannels, b);
    }

    /** A configured block-diagonal field. */
    public static final class Field extends BlockSizedField {
        Field(Structure s, StructureSpec spec, int h, int d1, int b) {
            super(s, spec, h, d1, b);
        }

        @Override
        public Optional<StepKernel> stepKernel() {
            return Optional.of(StepKernels.blocks(h, b));
        }

        @Override
        public List<ParameterShape> parameters() {
            return shapes(trainable("vf_A", d1, h * b));
        }

        @Override
        protected double initStdOf(String name, double initStd) {
            return initStd / Math.sqrt(b);
        }

        @Override
        public int coefficientCount() {
            return h * b;
        }

        @Override
        public <T> T coefficients(TensorOps<T> ops, ParameterLookup<T> p, T u) {
            return ops.matmul(u, p.get("vf_A"));
        }

        @Override
        public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p, T coef, T y) {
            int n = ops.shape(y)[0];
            int blocks = h / b;
            T m = ops.reshape(coef, n, blocks, b, b);
            T yb = ops.reshape(y, n, blocks, b, 1);
            return ops.reshape(ops.matmul(m, yb), n, h);
        }

        /** The coefficients hold the blocks, block by block (what {@link #apply} reshapes): no basis needed. */
        @Override
        public <T> T transitionBlocks(TensorOps<T> ops, ParameterLookup<T> p, T coef) {
            return ops.reshape(coef, ops.shape(coef)[0], h / b, b, b);
        }

        @Override
        public double[] denseMatrix(ParameterSet params, double[] u) {
            checkU(u, d1);
            double[] m = project(u, params.get("vf_A").data(), d1, h * b);
            double[] a = new double[h * h];
            for (int j = 0; j < h / b; j++) {
                for (int r = 0; r < b; r++) {
                    for (int c = 0; c < b; c++) {
                        a[(j * b + r) * h + (j * b + c)] = m[j * b * b + r * b + c];
                    }
                }
            }
            return a;
        }

        @Override
        public int scanBlockSize() {
            return b;
        }

        @Override
        public List<String> regularizedParameters() {
            return List.of("vf_A");
        }
    }
}
