package org.lincde.harness.conformance;

import java.util.List;
import org.lincde.spi.A5LinearCdeSpec;
import org.lincde.spi.Batch;
import org.lincde.spi.DeltaNetSpec;
import org.lincde.spi.LossSpec;
import org.lincde.spi.LruSpec;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.MambaSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.Rng;
import org.lincde.spi.S5Spec;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModelSpec;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.TransformerSpec;
import org.lincde.spi.XlstmSpec;

/**
 * A model without a structured vector field (the baselines of SPEC §2 and R2's A5 Linear CDE, §1.4) at
 * conformance sizes: token or channel inputs, per-token or per-sequence targets, cross-entropy. The
 * diagonal linear recurrences (S6, S4D, LRU, S5, Mamba) also compare recurrence with scan.
 *
 * @param name    short name in reports
 * @param spec    the model at conformance sizes
 * @param hasScan whether RECURRENT and SCAN evaluation are compared
 * @param batch   sequences per batch
 * @param length  sequence length
 */
public record BaselineCase(String name, ModelSpec spec, boolean hasScan, int batch, int length) implements ModelCase {
    private static final int VOCAB = 5;
    private static final int LABELS = 4;
    private static final int CHANNELS = 3;

    /** Every baseline family, each at a few units of width. */
    public static List<ModelCase> all() {
        SequenceIo tok = SequenceIo.tokens(VOCAB, LABELS);
        SequenceIo ch = SequenceIo.channels(CHANNELS, LABELS);
        return List.of(
                new BaselineCase("lstm", new LstmSpec(tok, 6, 2, 0.1), false, 2, 5),
                new BaselineCase("transformer-r1", new TransformerSpec(tok, 8, 2, 2, 12, 0.1), false, 2, 5),
                new BaselineCase("r2-s6", new SequenceModelSpec(tok, SequenceModelSpec.Core.S6, 6, 3, 2,
                        SequenceModelSpec.Mix.GLU, true, 0.1), true, 2, 5),
                new BaselineCase("r2-s4d", new SequenceModelSpec(ch, SequenceModelSpec.Core.S4D, 6, 3, 2,
                        SequenceModelSpec.Mix.GELU, false, 0.0), true, 2, 5),
                new BaselineCase("r2-rnn", new SequenceModelSpec(tok, SequenceModelSpec.Core.RNN, 6, 3, 1,
                        SequenceModelSpec.Mix.GLU, true, 0.1), false, 2, 5),
                new BaselineCase("r2-transformer", new SequenceModelSpec(tok, SequenceModelSpec.Core.TRANSFORMER, 6, 2, 1,
                        SequenceModelSpec.Mix.LINEAR, true, 0.1), false, 2, 5),
                new BaselineCase("r1-mamba", new MambaSpec(tok, MambaSpec.Template.R1_POSTNORM, MambaSpec.Core.MAMBA_V1,
                        4, 3, 2, 3, 2, true, 0.1), true, 2, 5),
                new BaselineCase("r3-s6", new MambaSpec(ch, MambaSpec.Template.R3_PRENORM, MambaSpec.Core.S6, 5, 3, 2, 4,
                        2, true, 0.1), true, 2, 5),
                new BaselineCase("r3-lru", new LruSpec(ch, 5, 3, 2, 0.1, 0.0, 1.0, 6.28), true, 2, 5),
                new BaselineCase("r3-s5", new S5Spec(ch, 5, 8, 2, 2, 0.05), true, 2, 5),
                new BaselineCase("r2-a5-lcde", new A5LinearCdeSpec(VOCAB, LABELS, 4, 0.1), false, 2, 5),
                // R1's Mamba2 (docs/models/mamba2.md): recurrent form, and SSD chunks of 2 in scan mode
                new BaselineCase("r1-mamba2", new org.lincde.spi.Mamba2Spec(tok, 4, 2, 3, 2, 2, 3, 2, true, 0.1,
                        org.lincde.spi.Mamba2Spec.Form.RECURRENT), true, 2, 5),
                // the chunked form R1 trains with: on djl and nd4j it takes the fused mixer (TensorOps.fusedMamba2Mixer),
                // so the oracle and fused-vs-generic checks compare that kernel
                new BaselineCase("r1-mamba2-chunked", new org.lincde.spi.Mamba2Spec(tok, 4, 2, 3, 2, 2, 3, 2, true, 0.1,
                        org.lincde.spi.Mamba2Spec.Form.CHUNKED), false, 2, 5),
                // R1's fla RWKV-7 / RWKV-6 (docs/models/rwkv.md), started off their zero-initialised mixes; recurrent
                // form, and chunks of 2 in scan mode
                new PerturbedCase(new BaselineCase("r1-rwkv7", new org.lincde.spi.RwkvSpec(tok,
                        org.lincde.spi.RwkvSpec.Version.RWKV7, 8, 2, 2, 8, 8, 3, 4, 2, 2, 0, true, 0.1, false,
                        org.lincde.spi.RwkvSpec.Form.RECURRENT, 2),
                        true, 2, 5), 0.3),
                // RWKV-7 with k_k = 0, as R1 trains it: the chunked (scan) form leaves the exactly-zero DPLR term out,
                // the recurrence evaluates it (docs/models/rwkv.md §"k_k = 0")
                new PerturbedCase(new BaselineCase("r1-rwkv7-kk0", new org.lincde.spi.RwkvSpec(tok,
                        org.lincde.spi.RwkvSpec.Version.RWKV7, 8, 2, 2, 8, 8, 3, 4, 2, 2, 0, true, 0.1, false,
                        org.lincde.spi.RwkvSpec.Form.RECURRENT, 2),
                        true, 2, 5), 0.3, "layer.k_k"),
                new PerturbedCase(new BaselineCase("r1-rwkv6", new org.lincde.spi.RwkvSpec(tok,
                        org.lincde.spi.RwkvSpec.Version.RWKV6, 8, 2, 2, 4, 8, 3, 0, 0, 0, 2, false, 0.1, false,
                        org.lincde.spi.RwkvSpec.Form.RECURRENT, 2),
                        true, 2, 5), 0.3),
                // mLSTM (both forms), sLSTM, xLSTM[1:1]: docs/models/xlstm.md
                new BaselineCase("xlstm-mlstm", xlstm(tok, List.of(), XlstmSpec.Form.PARALLEL), false, 2, 5),
                new BaselineCase("xlstm-mlstm-recurrent", xlstm(tok, List.of(), XlstmSpec.Form.RECURRENT), false, 2, 5),
                new BaselineCase("xlstm-slstm", xlstm(tok, List.of(0, 1), XlstmSpec.Form.PARALLEL), false, 2, 5),
                new BaselineCase("xlstm-1:1", xlstm(tok, List.of(1), XlstmSpec.Form.PARALLEL), false, 2, 5),
                // R1's fla delta-rule layers (docs/models/deltanet.md): recurrent form, compared with the chunked
                // (WY/UT) form by the scan check; chunk 2 so that length 5 spans three chunks
                deltaNet("r1-deltanet", DeltaNetSpec.Variant.DELTANET, 2, 3, 3, 1, false, false),
                deltaNet("r1-deltanet2", DeltaNetSpec.Variant.DELTANET_NEG, 2, 3, 3, 1, false, true),
                deltaNet("r1-gateddeltanet", DeltaNetSpec.Variant.GATED_DELTANET, 2, 3, 4, 1, true, false),
                deltaNet("r1-deltaproduct", DeltaNetSpec.Variant.GATED_DELTAPRODUCT, 2, 3, 4, 2, true, false));
    }

    private static BaselineCase deltaNet(String name, DeltaNetSpec.Variant v, int heads, int dk, int dv, int rank,
                                         boolean gated, boolean glu) {
        return new BaselineCase(name, new DeltaNetSpec(SequenceIo.tokens(VOCAB, LABELS), v, 6, 2, heads, dk, dv, 4, rank,
                gated, glu, 0.1, DeltaNetSpec.Form.RECURRENT, 2, false), true, 2, 5);
    }

    /** A 2-block xLSTM of width 8: R1's blocks with 2 heads, conv 3, inner widths rounded to 4 (library: 64). */
    private static XlstmSpec xlstm(SequenceIo io, List<Integer> slstmAt, XlstmSpec.Form form) {
        return new XlstmSpec(io, 8, 2, slstmAt, 16, 0.1, new XlstmSpec.Mlstm(2, 3, 2, 2.0, 4, form),
                new XlstmSpec.Slstm(2, 3), new XlstmSpec.FeedForward(1.3, 4));
    }

    @Override
    public boolean usesStructure() {
        return false;
    }

    @Override
    public ModelSpec spec(Structure structure, StructureSpec structureSpec) {
        return spec;
    }

    private SequenceIo io() {
        if (spec instanceof A5LinearCdeSpec a) {
            return SequenceIo.tokens(a.vocabSize(), a.outputDim());
        } else if (spec instanceof LstmSpec s) {
            return s.io();
        } else if (spec instanceof TransformerSpec s) {
            return s.io();
        } else if (spec instanceof SequenceModelSpec s) {
            return s.io();
        } else if (spec instanceof MambaSpec s) {
            return s.io();
        } else if (spec instanceof LruSpec s) {
            return s.io();
        } else if (spec instanceof S5Spec s) {
            return s.io();
        } else if (spec instanceof org.lincde.spi.Mamba2Spec s) {
            return s.io();
        } else if (spec instanceof org.lincde.spi.RwkvSpec s) {
            return s.io();
        } else if (spec instanceof XlstmSpec s) {
            return s.io();
        } else if (spec instanceof DeltaNetSpec s) {
            return s.io();
        }
        throw new IllegalArgumentException("no conformance inputs for model spec " + spec.getClass().getSimpleName());
    }

    @Override
    public Batch batch(Rng rng, int index) {
        Rng r = rng.stream("batch", index);
        SequenceIo io = io();
        Batch.Inputs in;
        if (io.input() == SequenceIo.Input.CHANNELS) {
            double[] v = new double[batch * length * io.inputDim()];
            r.fillNormal(v, 0, 1);
            in = new Batch.ChannelInputs(batch, length, io.inputDim(), v);
        } else {
            int per = io.input() == SequenceIo.Input.TOKEN_PAIRS ? 2 : 1;
            int[] ids = new int[batch * length * per];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = r.nextInt(io.inputDim());
            }
            in = new Batch.TokenInputs(batch, length, per, ids);
        }
        Batch.Targets t;
        if (io.output() == SequenceIo.Output.PER_TOKEN) {
            int[] labels = new int[batch * length];
            boolean[] mask = new boolean[batch * length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = r.nextInt(io.outputDim());
                mask[i] = r.nextDouble() < 0.7;
            }
            mask[labels.length - 1] = true;
            t = new Batch.TokenTargets(labels, mask);
        } else {
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = r.nextInt(io.outputDim());
            }
            t = new Batch.SequenceTargets(labels);
        }
        return Batch.of(in, t);
    }

    @Override
    public Objective objective() {
        return new Objective(new LossSpec.CrossEntropy(0.0), 0.0);
    }
}
