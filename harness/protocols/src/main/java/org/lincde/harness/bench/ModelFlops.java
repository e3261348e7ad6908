package org.lincde.harness.bench;

import org.lincde.spi.DeltaNetSpec;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.MambaSpec;
import org.lincde.spi.Mamba2Spec;
import org.lincde.spi.RwkvSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModelSpec;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TransformerSpec;
import org.lincde.spi.XlstmSpec;
import org.lincde.spi.structure.BlockDiagonalStructure;
import org.lincde.spi.structure.DenseStructure;
import org.lincde.spi.structure.DiagonalDenseStructure;
import org.lincde.spi.structure.DplrStructure;
import org.lincde.spi.structure.WalshHadamardStructure;

/**
 * The model FLOPs of one training step, derived per model family from its math (docs/models/flops.md):
 * the matrix products and structured transition products of the forward pass as the authors' code writes
 * them (2 FLOPs per multiply-add, 1 per lone multiply or add), times 3 for forward + backward (each product
 * {@code Y = X W} costs as much again for {@code dX} and for {@code dW}). Element-wise nonlinearities,
 * LayerNorm, softmax, dropout, the loss and the optimiser are not counted (a few percent at R1's sizes).
 * These are <em>model</em> FLOPs: an implementation that skips work by an exact identity (lincde's block 0
 * applies the coefficient map to the embedding table once) is credited with the work it skipped, so the
 * achieved rate is comparable across implementations, as a model-FLOP utilisation is.
 */
public final class ModelFlops {
    private ModelFlops() {}

    /**
     * An estimate: {@code forward} FLOPs and {@code perStep = 3·forward}, or neither with the reason.
     *
     * @param forward FLOPs of one forward pass over the batch, or null
     * @param reason  why there is no estimate (null when there is one)
     */
    public record Estimate(Double forward, String reason) {
        /** FLOPs of one training step (forward + backward), or null. */
        public Double perStep() {
            return forward == null ? null : 3 * forward;
        }

        static Estimate of(double forward) {
            return new Estimate(forward, null);
        }

        static Estimate none(String reason) {
            return new Estimate(null, reason);
        }
    }

    /** The estimate for {@code spec} on batches of {@code batch} sequences of {@code length} steps. */
    public static Estimate of(ModelSpec spec, StructureRegistry structures, int batch, int length) {
        if (spec instanceof LinearCdeSpec s) {
            return linearCde(s, structures, batch, length);
        }
        if (spec instanceof LstmSpec s) {
            return perTokenOnly(s.io(), "lstm").orElse(() -> lstm(s, batch, length));
        }
        if (spec instanceof TransformerSpec s) {
            return perTokenOnly(s.io(), "transformer").orElse(() -> transformer(s, batch, length));
        }
        if (spec instanceof SequenceModelSpec s && s.core() == SequenceModelSpec.Core.RNN) {
            return perTokenOnly(s.io(), "rnn").orElse(() -> rnn(s, batch, length));
        }
        if (spec instanceof SequenceModelSpec s
                && (s.core() == SequenceModelSpec.Core.S6 || s.core() == SequenceModelSpec.Core.S4D)) {
            return perTokenOnly(s.io(), s.family()).orElse(() -> r2Ssm(s, batch, length));
        }
        if (spec instanceof MambaSpec s) {
            if (s.template() != MambaSpec.Template.R1_POSTNORM) {
                return Estimate.none("no FLOP formula for " + s.template() + " yet: the " + s.family()
                        + " formula covers R1's post-norm block (R1's tasks; docs/models/flops.md)");
            }
            return perTokenOnly(s.io(), s.family()).orElse(() -> mambaR1(s, batch, length));
        }
        if (spec instanceof XlstmSpec s) {
            return perTokenOnly(s.io(), "xlstm").orElse(() -> xlstm(s, batch, length));
        }
        if (spec instanceof DeltaNetSpec s) {
            return perTokenOnly(s.io(), "deltanet").orElse(() -> deltaNet(s, batch, length));
        }
        if (spec instanceof RwkvSpec s) {
            return perTokenOnly(s.io(), s.family()).orElse(() -> rwkv(s, batch, length));
        }
        if (spec instanceof Mamba2Spec s) {
            return perTokenOnly(s.io(), "mamba").orElse(() -> mamba2(s, batch, length));
        }
        return Estimate.none("no FLOP formula for the " + spec.family() + " family yet (docs/models/flops.md lists "
                + "the families covered)");
    }

    /** A lazily computed estimate unless the model's input or output kind is outside the formulas. */
    private record Gate(String reason) {
        Estimate orElse(java.util.function.Supplier<Estimate> e) {
            return reason == null ? e.get() : Estimate.none(reason);
        }
    }

    private static Gate perTokenOnly(SequenceIo io, String family) {
        if (io.input() != SequenceIo.Input.TOKENS || io.output() != SequenceIo.Output.PER_TOKEN) {
            return new Gate("the " + family + " formula covers token inputs with per-token outputs (R1's tasks); "
                    + "this model reads " + io.input() + " and emits " + io.output());
        }
        return new Gate(null);
    }

    /**
     * SPEC §1.1–1.2, per block: the initial state {@code W₀x₀} ({@code 2·B·h·d}), the coefficients
     * {@code u·W} for every step ({@code 2·B(L−1)·(d+1)·P}), the structure's transition product
     * ({@link #transition}), the block's {@code Lin} ({@code 2·B·L·h·h}, doubled with GLU); then the readout
     * {@code 2·B·L·h·K}. The embedding is a lookup.
     */
    static Estimate linearCde(LinearCdeSpec s, StructureRegistry structures, int batch, int length) {
        int h = s.modelDim();
        int d = h;
        StructuredVectorField field;
        try {
            field = structures.get(s.structure().id()).configure(h, d + 1, s.structure());
        } catch (RuntimeException e) {
            return Estimate.none("structure " + s.structure().id() + ": " + e.getMessage());
        }
        Double perStep = transition(field);
        if (perStep == null) {
            return Estimate.none("no FLOP formula for the transition product of structure '" + s.structure().id()
                    + "' (docs/models/flops.md lists the structures covered)");
        }
        double n = (double) batch * length;
        double steps = (double) batch * (length - 1);
        double block = 2.0 * batch * h * d
                + 2.0 * steps * (d + 1) * field.coefficientCount()
                + steps * perStep
                + 2.0 * n * h * (s.useGlu() ? 2 * h : h);
        return Estimate.of(s.numBlocks() * block + 2.0 * n * h * s.labelDim());
    }

    /**
     * FLOPs of one transition product {@code s = A(u) y} for one sequence and step, given its coefficients
     * (SPEC §1.1 items 1–6, §1.0's table), or null for a structure without a formula.
     */
    static Double transition(StructuredVectorField f) {
        int h = f.hidden();
        String id = f.structure().id();
        if (f instanceof BlockDiagonalStructure.Field bd) {
            return 2.0 * h * bd.blockSize();                          // h/b blocks of b×b: h·b multiply-adds
        }
        if (f instanceof DplrStructure.Field dp) {
            int r = dp.rank();
            if (r == 0) {
                return (double) h;                                      // a ⊙ y
            }
            if (dp.form() == DplrStructure.Form.QUADRATIC) {
                return h + 4.0 * h * r;                                 // a ⊙ y, Vᵀy (h·r), U(Vᵀy) (h·r)
            }
            int d1 = f.controlChannels();                               // R3's linear form: Σ_c u_c U_c V_cᵀ y
            return h + 4.0 * h * d1 * r + (double) d1 * r;              // yW_v, ⊙u, zW_u
        }
        if (f instanceof WalshHadamardStructure.Field) {
            int log2 = Integer.numberOfTrailingZeros(h);
            return 2.0 * h + (double) h * log2;                         // a ⊙ y, the fast transform, 1/√h
        }
        if (f instanceof DiagonalDenseStructure.Field dd) {
            int b = dd.blockSize();
            return (h - b) + 2.0 * b * b;                               // diagonal part, one dense b×b block
        }
        if (f instanceof DenseStructure.Field) {
            return 2.0 * h * h;                                         // dense and sparse (R1 multiplies the
        }                                                               // masked weights as a dense matrix)
        if (id.equals("diagonal")) {
            return (double) h;                                          // c ⊙ y
        }
        return null;
    }

    /**
     * SPEC §2.1 (R1 {@code models/lstm.py}, torch {@code nn.LSTM}): per layer and token the four gates from
     * the input and the previous hidden state, {@code 2·(4h·h + 4h·h)}; readout {@code 2·B·L·h·K}.
     */
    static Estimate lstm(LstmSpec s, int batch, int length) {
        double n = (double) batch * length;
        int h = s.modelDim();
        return Estimate.of(n * s.numBlocks() * 16.0 * h * h + 2.0 * n * h * s.io().outputDim());
    }

    /**
     * SPEC §2.7 (R1 {@code models/transformer.py}): per layer and token the Q, K, V, O projections
     * {@code 4·2h²} and the FFN {@code 2·2·h·F}; per layer and sequence the scores {@code QKᵀ} and
     * {@code softmax·V}, {@code 2·L²·h} each (all heads; the causal mask is applied to the full {@code L×L}
     * scores, as PyTorch's CPU attention computes them); readout {@code 2·B·L·h·K}.
     */
    static Estimate transformer(TransformerSpec s, int batch, int length) {
        double n = (double) batch * length;
        int h = s.modelDim();
        double perLayer = n * (8.0 * h * h + 4.0 * h * s.ffnDim()) + batch * 4.0 * length * length * h;
        return Estimate.of(s.numBlocks() * perLayer + 2.0 * n * h * s.io().outputDim());
    }

    /**
     * docs/models/xlstm.md §1–4 (NX-AI {@code xlstm} as R1 configures it), per position ({@code n = B·L}): an mLSTM
     * block {@code 2·D·2I} ({@code proj_up}), {@code 2·I·K} (the depth-wise conv), {@code 3·2·I·bs} (q, k, v
     * block-diagonal), {@code 2·2·3I·NH} (the two gates from {@code [q; k; v]}), {@code 2·I·D} ({@code proj_down}),
     * plus per sequence the parallel cell's {@code q kᵀ} and {@code C v} over the full {@code L×L} (masked) matrix,
     * {@code 2·2·NH·L²·DH = 4·L²·I}; an sLSTM block {@code 2·D·K} (conv), {@code 4·2·D·DH} (the four gate
     * projections), {@code 2·D·4DH} (the recurrent kernel at every step, as the CUDA kernel multiplies it) and its
     * feed-forward {@code 2·D·2F + 2·F·D}; readout {@code 2·n·D·K_out}. Gates, norms, the cell's element-wise
     * stabiliser and the cumulative log-gate sum are not counted.
     */
    static Estimate xlstm(XlstmSpec s, int batch, int length) {
        double n = (double) batch * length;
        int d = s.modelDim();
        double total = 2.0 * n * d * s.io().outputDim();
        for (int i = 0; i < s.numBlocks(); i++) {
            if (s.isSlstm(i)) {
                XlstmSpec.Slstm c = s.slstm();
                double dh = (double) d / c.numHeads();
                int f = s.feedForward().innerDim(d);
                total += n * (2.0 * d * c.convKernel() + 8.0 * d * dh + 8.0 * d * dh + 4.0 * d * f + 2.0 * f * d);
            } else {
                XlstmSpec.Mlstm c = s.mlstm();
                int in = c.innerDim(d);
                total += n * (4.0 * d * in + 2.0 * in * c.convKernel() + 6.0 * in * c.qkvBlocksize()
                        + 12.0 * in * c.numHeads() + 2.0 * in * d) + 4.0 * batch * length * length * in;
            }
        }
        return Estimate.of(total);
    }

    /**
     * The selective scan of S6 (SPEC §2.2, mamba_ssm's {@code selective_scan_ref}) per position at width {@code E}
     * and state {@code N}: per state entry the discretisation {@code Δ·A} (1), the decay {@code a·h} (1), the
     * drive {@code (Δu)·B} added in (2) and the output {@code C·h} summed over {@code n} (2), 6 in all, plus
     * {@code Δ⊙u} once per channel (1): {@code 6·E·N + E}. {@code exp}, softplus and the {@code D ⊙ u} skip are
     * element-wise and not counted.
     */
    static double selectiveScan(double width, double state) {
        return 6 * width * state + width;
    }

    /**
     * S6 (SPEC §2.2) at width {@code E}, state {@code N}, {@code R = ⌈D/16⌉}, per position: {@code x_proj}
     * {@code 2·E·(R+2N)}, {@code dt_proj} {@code 2·R·E}, and the scan ({@link #selectiveScan}).
     */
    static double s6Layer(double width, double state, double dtRank) {
        return 2 * width * (dtRank + 2 * state) + 2 * dtRank * width + selectiveScan(width, state);
    }

    /**
     * SPEC §2.8 (R2 {@code torch_sequence_models.py}) with the S6 (§2.2) or S4D (§2.4) core, per layer and
     * position: S6 {@link #s6Layer} at {@code E = h}, {@code R = ⌈h/16⌉}; S4D, the same scan with complex
     * {@code A, B, C} and time-invariant {@code Δ, B, C} (the authors run it through the selective-scan kernel,
     * per position), per complex state entry {@code Δ·A} (2), the complex decay {@code a·h} (6), the drive
     * {@code (Δu)·B} (2) added in (2), {@code Re(C·h)} (3) summed (1), 16 in all, plus {@code Δ⊙u} (1 per
     * channel): {@code 16·h·N + h}; then the mix {@code Lin_{h→2h}} (GLU) or {@code Lin_{h→h}}; readout
     * {@code 2·B·L·h·K}.
     */
    static Estimate r2Ssm(SequenceModelSpec s, int batch, int length) {
        double n = (double) batch * length;
        int h = s.hiddenDim();
        double state = s.stateDim();
        double core = s.core() == SequenceModelSpec.Core.S6
                ? s6Layer(h, state, (h + 15) / 16)
                : 16.0 * h * state + h;
        int mixOut = s.mix() == SequenceModelSpec.Mix.GLU ? 2 * h : h;
        return Estimate.of(s.depth() * n * (core + 2.0 * h * mixOut) + 2.0 * n * h * s.io().outputDim());
    }

    /**
     * R1's block (SPEC §2.11) around the Mamba v1 block (SPEC §2.3, {@code mamba_ssm.Mamba}) or S6 alone, per layer
     * and position, width {@code D}, {@code E = expand·D}, {@code R = ⌈D/16⌉}: Mamba v1 {@code in_proj}
     * {@code 2·D·2E}, the depth-wise causal conv {@code 2·E·K}, S6 at width {@code E} ({@link #s6Layer}) and
     * {@code out_proj} {@code 2·E·D} (the conv bias, SiLU and the gate {@code y ⊙ SiLU(z)} are element-wise);
     * S6 alone {@link #s6Layer} at {@code E = D}; plus R1's GLU {@code Lin_{D→2D}} ({@code 4D²}) with
     * {@code use_glu}; readout {@code 2·B·L·D·K}.
     */
    static Estimate mambaR1(MambaSpec s, int batch, int length) {
        double n = (double) batch * length;
        double d = s.modelDim();
        double e = s.innerDim();
        double state = s.stateDim();
        double dtRank = (s.modelDim() + 15) / 16;
        double layer = s.core() == MambaSpec.Core.MAMBA_V1
                ? 2 * d * 2 * e + 2 * e * s.convKernel() + s6Layer(e, state, dtRank) + 2 * e * d
                : s6Layer(d, state, dtRank);
        if (s.useGlu()) {
            layer += 4 * d * d;
        }
        return Estimate.of(s.numBlocks() * n * layer + 2.0 * n * d * s.io().outputDim());
    }

    /**
     * docs/models/deltanet.md §2 (R1 {@code models/fla.py} around fla's delta-rule layers): per layer and token,
     * with {@code H} heads of key width {@code d_k} and value width {@code d_v} and {@code r} Householder steps
     * (1 except DeltaProduct), the projections {@code 2h·(Hd_k + r(Hd_k + Hd_v + H))}, plus {@code 2h·H} for the
     * forget gate's {@code a_proj} and {@code 2h·Hd_v} for the output gate's {@code g_proj}, and {@code o_proj}
     * {@code 2·Hd_v·h}; the depth-wise short convolutions {@code 2c·(Hd_k + r(Hd_k + Hd_v))}; the block's GLU
     * {@code Lin_{h→2h}} ({@code 4h²}) when used; readout {@code 2·B·L·h·K}. The delta rule in the form fla runs
     * ({@link #deltaRule}).
     */
    static Estimate deltaNet(DeltaNetSpec s, int batch, int length) {
        double n = (double) batch * length;
        double h = s.modelDim();
        double heads = s.numHeads();
        double hk = heads * s.headKDim();
        double hv = heads * s.headVDim();
        int steps = s.numHouseholder();
        double proj = 2 * h * (hk + steps * (hk + hv + heads)) + 2 * hv * h;
        if (s.forgetGate()) {
            proj += 2 * h * heads;
        }
        if (s.variant().outputGate()) {
            proj += 2 * h * hv;
        }
        double conv = 2.0 * s.convSize() * (hk + steps * (hk + hv));
        double glu = s.useGlu() ? 4 * h * h : 0;
        double rule = batch * heads * deltaRule(s, length);
        return Estimate.of(s.numBlocks() * (n * (proj + conv + glu) + rule) + 2.0 * n * h * s.io().outputDim());
    }

    /** fla's chunk length ({@code ops/delta_rule/wy_fast.py}, {@code BT = 64}). */
    static final int FLA_CHUNK = 64;

    /**
     * FLOPs of the delta rule for one head and sequence of {@code length} tokens, in the form fla runs it
     * (docs/models/deltanet.md §3, §5): fla's {@code DeltaNet} switches to the token-by-token kernel at
     * {@code L ≤ 64} (the fork's at {@code L < 64}), where each of the {@code r·L} steps costs {@code 4·d_k·d_v}
     * ({@code S_{t−1}ᵀk} and the rank-one write) and each token {@code 2·d_k·d_v} more for {@code S_tᵀq}. Otherwise
     * (and always for the gated layers, which train in chunk mode only) the chunked form over the {@code T = r·L}
     * interleaved steps, in chunks of 64: per chunk of {@code C} steps {@code KKᵀ}, {@code QKᵀ}, {@code T(β⊙V)} and
     * the intra-chunk output, {@code C²(2d_k + 2d_v)} multiply-adds; a chunk that a state enters adds
     * {@code W = T(βγ⊙K)} ({@code C²d_k}) and {@code WS}, {@code QS} ({@code 2C·d_k·d_v}); a chunk that passes the
     * state on adds its write {@code Kᵀ U} ({@code C·d_k·d_v}). With one chunk (fla's gated heads at L = 40) no state
     * work is counted: there is no state to carry. The triangular inverse ({@code O(C³)}) is not counted.
     */
    static double deltaRule(DeltaNetSpec s, int length) {
        double dk = s.headKDim();
        double dv = s.headVDim();
        int steps = s.numHouseholder();
        DeltaNetSpec.Variant v = s.variant();
        boolean recurrent = (v == DeltaNetSpec.Variant.DELTANET && length <= FLA_CHUNK)
                || (v == DeltaNetSpec.Variant.DELTANET_NEG && length < FLA_CHUNK);
        if (recurrent) {
            return (double) length * (4.0 * steps + 2.0) * dk * dv;
        }
        int total = steps * length;
        double macs = 0;
        for (int start = 0; start < total; start += FLA_CHUNK) {
            double c = Math.min(FLA_CHUNK, total - start);
            macs += c * c * (2 * dk + 2 * dv);
            if (start > 0) {
                macs += c * c * dk + 2 * c * dk * dv;
            }
            if (start + FLA_CHUNK < total) {
                macs += c * dk * dv;
            }
        }
        return 2 * macs;
    }

    /**
     * SPEC §2.8 (R2 {@code torch_sequence_models.py}) with the tanh RNN core: per layer and token
     * {@code Wx + Uh}, {@code 2·(h·h + h·h)}, then the mix {@code Lin_{h→2h}} (GLU) or {@code Lin_{h→h}};
     * readout {@code 2·B·L·h·K}.
     */
    static Estimate rnn(SequenceModelSpec s, int batch, int length) {
        double n = (double) batch * length;
        int h = s.hiddenDim();
        int mixOut = s.mix() == SequenceModelSpec.Mix.GLU ? 2 * h : h;
        return Estimate.of(s.depth() * n * (4.0 * h * h + 2.0 * h * mixOut) + 2.0 * n * h * s.io().outputDim());
    }
    /**
     * docs/models/rwkv.md (fla {@code RWKV7Attention} / {@code RWKV6Attention} in R1's block), per layer and token,
     * key width {@code K}, value width {@code V}, head value width {@code d_v = V/H}:
     * RWKV-7: {@code r, k, v} projections {@code 2h(2K + V)}, the LoRAs {@code 2(hD + DK)} (w), {@code 2(hA + AK)}
     * (a), {@code 2(hG + GV)} (g) and, from block 1 on, {@code 2(hR_v + R_vV)} (v), {@code o_proj 2Vh}, and the
     * generalised delta rule as fla's recurrent kernel writes it, 9 FLOPs per state entry ({@code Sᵀa} 2, the decay
     * 1, {@code b uᵀ} 2, {@code k vᵀ} 2, {@code Sᵀq} 2), {@code 9·K·d_v}; RWKV-6: DDLerp's {@code 2h·5R} and
     * {@code 5·2R·h}, {@code r, k, v, g} projections {@code 2h(2K + 2V)}, the decay LoRA {@code 2(hD + DK)},
     * {@code o_proj 2Vh} and the recurrence, 5 per state entry ({@code Sᵀq} 2, the decay 1, {@code k vᵀ} 2),
     * {@code 5·K·d_v}; GLU {@code 2h·2h} per block; readout {@code 2·B·L·h·K_out}. Counted in full even where
     * lincde skips the DPLR term exactly ({@code k_k = 0}).
     */
    static Estimate rwkv(RwkvSpec s, int batch, int length) {
        double n = (double) batch * length;
        double h = s.modelDim();
        double kd = s.keyDim();
        double vd = s.valueDim();
        double dv = vd / s.numHeads();
        double total = 0;
        for (int i = 0; i < s.numBlocks(); i++) {
            double layer;
            if (s.version() == RwkvSpec.Version.RWKV7) {
                layer = 2 * h * (2 * kd + vd) + 2 * (h * s.decayRank() + s.decayRank() * kd)
                        + 2 * (h * s.aRank() + s.aRank() * kd) + 2 * (h * s.gateRank() + s.gateRank() * vd)
                        + 2 * vd * h + 9 * kd * dv;
                if (i > 0) {
                    layer += 2 * (h * s.vRank() + s.vRank() * vd);
                }
            } else {
                layer = 2 * h * 5 * s.mixRank() * 2 + 2 * h * (2 * kd + 2 * vd)
                        + 2 * (h * s.decayRank() + s.decayRank() * kd) + 2 * vd * h + 5 * kd * dv;
            }
            if (s.useGlu()) {
                layer += 2 * h * 2 * h;
            }
            total += n * layer;
        }
        return Estimate.of(total + 2 * n * h * s.io().outputDim());
    }

    /**
     * docs/models/flops.md §"Mamba2" ({@code mamba_ssm.Mamba2} in R1's block, lincde's {@code Mamba2Layer}), width
     * {@code D}, inner width {@code E}, state {@code N}, {@code H} heads, conv {@code K}, one group: per layer and
     * position {@code in_proj} {@code 2D(2E+2N+H)}, the depth-wise conv {@code 2K(E+2N)}, {@code out_proj}
     * {@code 2ED}; per layer, sequence and SSD chunk of {@code Q} steps (chunks of {@code chunk_size}, the last one
     * shorter) {@code C Bᵀ} over the full {@code Q×Q} square {@code 2Q²N} and the masked scores times {@code ΔX}
     * {@code 2Q²E}, plus the chunk's state {@code 2QEN} for every chunk but the last and the carried state's read
     * {@code 2QEN} for every chunk but the first (no term at all at R1's lengths, one chunk); the block's GLU
     * {@code 4D²} when used; readout {@code 2·B·L·D·K}. The cumulative sums, decays, {@code Δ}, SiLU, the skip
     * {@code D ⊙ x} and the gated RMSNorm are element-wise and not counted.
     */
    static Estimate mamba2(Mamba2Spec s, int batch, int length) {
        double n = (double) batch * length;
        double d = s.modelDim();
        double e = s.innerDim();
        double st = s.stateDim();
        double perPosition = 2 * d * (2 * e + 2 * st + s.numHeads()) + 2.0 * s.convKernel() * (e + 2 * st)
                + 2 * e * d + (s.useGlu() ? 4 * d * d : 0);
        double perSequence = 0;
        for (int t0 = 0; t0 < length; t0 += s.chunkSize()) {
            double q = Math.min(length, t0 + s.chunkSize()) - t0;
            perSequence += 2 * q * q * st + 2 * q * q * e;
            if (t0 + s.chunkSize() < length) {
                perSequence += 2 * q * e * st;                      // the chunk's state, handed on
            }
            if (t0 > 0) {
                perSequence += 2 * q * e * st;                      // the carried state read out, C_l·S
            }
        }
        return Estimate.of(s.numBlocks() * (n * perPosition + batch * perSequence) + 2 * n * d * s.io().outputDim());
    }
}
