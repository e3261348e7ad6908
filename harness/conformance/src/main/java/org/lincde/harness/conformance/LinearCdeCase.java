package org.lincde.harness.conformance;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.Rng;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;

/**
 * R1's stacked Linear CDE (SPEC §1.1–1.2) at conformance sizes: two blocks, hidden size 8 (else 4 or 6,
 * whichever the structure accepts first), dropout 0.1 so the dropout streams matter, and per-token
 * targets under a random mask scored by masked cross-entropy plus λ·Σ||vf_A||_F (SPEC §4.1).
 *
 * @param vocab   input vocabulary
 * @param labels  classes
 * @param blocks  number of blocks
 * @param batch   sequences per batch
 * @param length  sequence length
 * @param dropout dropout rate
 * @param initStd the layers' init_std
 * @param lambda  regulariser weight
 * @param hidden  hidden sizes to try, in order
 */
public record LinearCdeCase(int vocab, int labels, int blocks, int batch, int length, double dropout, double initStd,
                            double lambda, List<Integer> hidden) implements ModelCase {

    /** The default case: V 5, K 4, 2 blocks, B 2, L 7, dropout 0.1, init_std 0.7, λ 0.01, h ∈ {8, 4, 6}. */
    public static LinearCdeCase small() {
        return new LinearCdeCase(5, 4, 2, 2, 7, 0.1, 0.7, 0.01, List.of(8, 4, 6));
    }

    /** Defensive copy. */
    public LinearCdeCase {
        hidden = List.copyOf(hidden);
    }

    @Override
    public String name() {
        return "lcde";
    }

    @Override
    public boolean usesStructure() {
        return true;
    }

    @Override
    public ModelSpec spec(Structure structure, StructureSpec spec) {
        List<String> why = new ArrayList<>();
        for (int h : hidden) {
            try {
                structure.configure(h, h + 1, spec);
                return new LinearCdeSpec(vocab, labels, h, blocks, spec, false, dropout, initStd, false,
                        LinearCdeSpec.R1_DT, LinearCdeSpec.R1_TANH_CLIP);
            } catch (IllegalArgumentException e) {
                why.add("h = " + h + ": " + e.getMessage());
            }
        }
        throw new NotApplicable("structure " + spec + " accepts none of the conformance sizes (" + String.join("; ", why)
                + ")");
    }

    @Override
    public Batch batch(Rng rng, int index) {
        Rng r = rng.stream("batch", index);
        int n = batch * length;
        int[] ids = new int[n];
        int[] targets = new int[n];
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(vocab);
            targets[i] = r.nextInt(labels);
            mask[i] = r.nextDouble() < 0.6;
        }
        mask[n - 1] = true; // at least one scored position
        return Batch.of(new Batch.TokenInputs(batch, length, ids), new Batch.TokenTargets(targets, mask));
    }

    @Override
    public Objective objective() {
        return Objective.maskedCrossEntropy(lambda);
    }
}
