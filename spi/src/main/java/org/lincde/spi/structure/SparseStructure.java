package org.lincde.spi.structure;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Map;
import org.lincde.spi.ElementType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.InvalidOptionException;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;

/**
 * S-LNCDE (SPEC §1.1 item 6): the dense field with a fixed random mask. A boolean buffer
 * {@code mask ∈ {0,1}^{(h·h)×(d+1)}}, {@code M_jk = [U(0,1) < p]} with {@code p} the <em>keep</em>
 * probability ({@code sparsity}), is drawn once; the dense weights are multiplied by it at init and
 * every gradient of {@code vf_A.weight} is multiplied by it ({@code mask_grads}), so masked entries
 * stay exactly zero under AdamW (decay of 0 is 0, Adam's update of a zero gradient is 0).
 */
@AutoService(Structure.class)
public final class SparseStructure extends BuiltInStructure {
    /** Default keep probability (the UEA S-LNCDE's 10 %). */
    public static final double DEFAULT_SPARSITY = 0.1;

    public SparseStructure() {
        super("sparse", spec -> "S-LNCDE",
                "dense A_i under a fixed random mask (keep probability p): ≈ p·h² parameters per channel",
                new Option("sparsity", String.valueOf(DEFAULT_SPARSITY),
                        "keep probability p in [0, 1] of each weight (R1's 'sparsity')"));
    }

    @Override
    public StructuredVectorField configure(int hidden, int controlChannels, StructureSpec spec) {
        double p = spec.doubleOption("sparsity", DEFAULT_SPARSITY);
        if (!(p >= 0 && p <= 1)) {
            throw new InvalidOptionException("sparse.sparsity", p, "must be in [0, 1]");
        }
        return new Field(this, spec, hidden, controlChannels, p);
    }

    /** A configured sparse field. */
    public static final class Field extends DenseStructure.Field {
        static final String MASK = "mask";
        private final double keep;

        Field(Structure s, StructureSpec spec, int h, int d1, double keep) {
            super(s, spec, h, d1);
            this.keep = keep;
        }

        /** The keep probability {@code p}. */
        public double keepProbability() {
            return keep;
        }

        @Override
        public List<ParameterShape> parameters() {
            return List.of(trainable(WEIGHT, h * h, d1),
                    new ParameterShape(MASK, new int[] {h * h, d1}, ParameterSet.Role.BUFFER));
        }

        @Override
        public ParameterSet initialize(Rng rng, double initStd) {
            int n = h * h * d1;
            double[] mask = new double[n];
            Rng maskRng = rng.stream(MASK);
            for (int i = 0; i < n; i++) {
                mask[i] = maskRng.nextDouble() < keep ? 1.0 : 0.0;
            }
            double[] w = new double[n];
            rng.stream(WEIGHT).fillNormal(w, 0.0, initStd / Math.sqrt(h));
            for (int i = 0; i < n; i++) {
                w[i] *= mask[i];
            }
            ParameterSet p = new ParameterSet();
            p.put(WEIGHT, HostTensor.of(w, h * h, d1));
            p.put(MASK, HostTensor.of(ElementType.BOOL, mask, h * h, d1), ParameterSet.Role.BUFFER);
            return p;
        }

        /** The expected number of unmasked (trainable in effect) weights, {@code round(p·h²·(d+1))}. */
        @Override
        public long parameterCount() {
            return Math.round(keep * h * h * d1);
        }

        @Override
        public Map<String, String> gradientMasks() {
            return Map.of(WEIGHT, MASK);
        }
    }
}
