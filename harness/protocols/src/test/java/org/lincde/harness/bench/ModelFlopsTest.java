package org.lincde.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.DeltaNetSpec;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.LruSpec;
import org.lincde.spi.MambaSpec;
import org.lincde.spi.Mamba2Spec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.RwkvSpec;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModelSpec;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.TensorOps;
import org.lincde.spi.TransformerSpec;
import org.lincde.spi.XlstmSpec;
import org.lincde.spi.model.Models;

/**
 * {@link ModelFlops} against hand counts at tiny sizes (docs/models/flops.md), and, for the matrix-product
 * models, against an independent count: the multiply-adds of every {@code matmul} the reference backend's
 * ops execute in one forward pass of the model graph.
 */
class ModelFlopsTest {
    private static final StructureRegistry S = StructureRegistry.discover();

    private static LinearCdeSpec lcde(StructureSpec st, int h, int blocks, int vocab, int labels) {
        return LinearCdeSpec.r1(vocab, labels, h, blocks, st);
    }

    private static double perStep(ModelSpec spec, int b, int l) {
        return ModelFlops.of(spec, S, b, l).perStep();
    }

    @Test
    void everyLinearCdeStructureMatchesAHandCount() {
        // B = 2, L = 3 (2 steps), h = d = 4 (d+1 = 5), 1 block, V = 3, K = 2.
        // common: init 2·B·h·d = 64; Lin 2·B·L·h·h = 192; readout 2·B·L·h·K = 96.
        // diagonal: coefficients 2·4·5·4 = 160, transition 4 steps·4 = 16 → 64+160+16+192+96 = 528
        assertThat(perStep(lcde(StructureSpec.of("diagonal"), 4, 1, 3, 2), 2, 3)).isEqualTo(3 * 528.0);
        // BD2: P = 8 → coefficients 320; transition 4·(2·4·2) = 64 → 64+320+64+192+96 = 736
        assertThat(perStep(lcde(StructureSpec.of("block-diagonal", "block_size", "2"), 4, 1, 3, 2), 2, 3))
                .isEqualTo(3 * 736.0);
        // dense: P = 16 → 640; transition 4·2·16 = 128 → 64+640+128+192+96 = 1120
        assertThat(perStep(lcde(StructureSpec.of("dense"), 4, 1, 3, 2), 2, 3)).isEqualTo(3 * 1120.0);
        // sparse: as dense (R1 multiplies the masked weights densely)
        assertThat(perStep(lcde(StructureSpec.of("sparse", "sparsity", "0.5"), 4, 1, 3, 2), 2, 3))
                .isEqualTo(3 * 1120.0);
        // DPLR rank 1 (R1's quadratic form): P = h + 2h = 12 → 480; transition 4·(4 + 4·4) = 80
        // → 64+480+80+192+96 = 912
        assertThat(perStep(lcde(StructureSpec.of("dplr", "rank", "1"), 4, 1, 3, 2), 2, 3)).isEqualTo(3 * 912.0);
        // WH: P = 4 → 160; transition 4·(2·4 + 4·log₂4) = 4·16 = 64 → 64+160+64+192+96 = 576
        assertThat(perStep(lcde(StructureSpec.of("walsh-hadamard"), 4, 1, 3, 2), 2, 3)).isEqualTo(3 * 576.0);
        // D-DE with a 2×2 block: P = 2 + 4 = 6 → 240; transition 4·(2 + 2·4) = 40 → 64+240+40+192+96 = 632
        assertThat(perStep(lcde(StructureSpec.of("diagonal-dense", "block_size", "2"), 4, 1, 3, 2), 2, 3))
                .isEqualTo(3 * 632.0);
        // two blocks double everything but the readout; GLU doubles Lin
        assertThat(perStep(lcde(StructureSpec.of("dense"), 4, 2, 3, 2), 2, 3)).isEqualTo(3 * (2 * 1024.0 + 96));
        assertThat(perStep(lcde(StructureSpec.of("dense"), 4, 1, 3, 2).withGlu(true), 2, 3))
                .isEqualTo(3 * (1120.0 + 192));
    }

    @Test
    void r1BaselinesMatchAHandCount() {
        // LSTM h = 4, 1 layer, B 2, L 3, K 2: gates 6 tokens · 2·(16·4 + 16·4) = 6·256 = 1536; readout 96
        assertThat(perStep(new LstmSpec(SequenceIo.tokens(3, 2), 4, 1, 0.0), 2, 3)).isEqualTo(3 * (1536.0 + 96));
        // Transformer h = 4, 2 heads, F = 8, 1 layer, B 2, L 3: projections 6·8·16 = 768, FFN 6·4·4·8 = 768,
        // scores and values 2 sequences · 4·9·4 = 288, readout 96 → 1920
        assertThat(perStep(new TransformerSpec(SequenceIo.tokens(3, 2), 4, 1, 2, 8, 0.0), 2, 3))
                .isEqualTo(3 * 1920.0);
        // tanh RNN h = 4, GLU mix: 6 tokens · (4·16 + 2·4·8) = 6·128 = 768; readout 96
        SequenceModelSpec rnn = new SequenceModelSpec(SequenceIo.tokens(3, 2), SequenceModelSpec.Core.RNN, 4, 16, 1,
                SequenceModelSpec.Mix.GLU, true, 0.0);
        assertThat(perStep(rnn, 2, 3)).isEqualTo(3 * (768.0 + 96));
    }

    @Test
    void xlstmBlocksMatchAHandCount() {
        // D 8, 2 blocks (mLSTM then sLSTM), B 2, L 3 (n = 6 positions), K_out 2. mLSTM: 2 heads, conv 3, qkv
        // blocks 2, inner width 2·8 = 16 (rounded to 4): proj_up 2·8·32 = 512, conv 2·16·3 = 96, q/k/v 3·2·16·2 =
        // 192, gates 2·2·48·2 = 384, proj_down 2·16·8 = 256 → 1440 a position, 8640; cell 2 sequences ·
        // 2 products · 2·(2 heads · 9 · 8) = 2·4·9·16 = 1152. sLSTM: 2 heads of 4, conv 3, FFN 1.3·8 → 12 (rounded
        // to 4): conv 2·8·3 = 48, gates 4·2·8·4 = 256, recurrent 2·8·16 = 256, FFN 2·8·24 + 2·12·8 = 576 → 1136 a
        // position, 6816. Readout 6·2·8·2 = 192.
        XlstmSpec spec = new XlstmSpec(SequenceIo.tokens(3, 2), 8, 2, List.of(1), 16, 0.0,
                new XlstmSpec.Mlstm(2, 3, 2, 2.0, 4, XlstmSpec.Form.PARALLEL), new XlstmSpec.Slstm(2, 3),
                new XlstmSpec.FeedForward(1.3, 4));
        assertThat(perStep(spec, 2, 3)).isEqualTo(3 * (8640.0 + 1152 + 6816 + 192));
        // R1's regular-language size: mLSTM ≈ 15.9 GFLOP a step (proj_up and proj_down are three quarters)
        double mlstm = perStep(XlstmSpec.r1(SequenceIo.tokens(10, 5), 128, 2, List.of(), 256, 0.01), 256, 40);
        assertThat(mlstm / 1e9).isBetween(15.8, 16.0);
    }

    @Test
    void deltaNetFamilyMatchesAHandCount() {
        // DeltaNet h = 4, 2 heads of d_k = d_v = 2, conv 4, GLU, 1 block, B 2, L 3 (6 tokens), K 2:
        // projections 2·4·(4 + (4 + 4 + 2)) + 2·4·4 = 144, convs 2·4·(4 + 8) = 96, rule 2·(4 + 2)·4 = 48,
        // GLU 4·16 = 64 → 352 a token, 2112; readout 96
        DeltaNetSpec dn = new DeltaNetSpec(SequenceIo.tokens(3, 2), DeltaNetSpec.Variant.DELTANET, 4, 1, 2, 2, 2, 4, 1,
                false, true, 0.0, DeltaNetSpec.Form.CHUNKED, 0, false);
        assertThat(perStep(dn, 2, 3)).isEqualTo(3 * (2112.0 + 96));
        // Gated DeltaProduct, 2 Householder steps, d_k 2, d_v 4, forget and output gates: projections
        // 2·4·(4 + 2·(4 + 8 + 2) + 2 + 8) + 2·8·4 = 400, convs 2·4·(4 + 2·12) = 224, GLU 64 → 688 a token, 4128;
        // the rule in fla's chunk form (gated layers train in chunk mode only): the 2·3 = 6 interleaved steps are
        // one chunk, 2·6²·(2·2 + 2·4) = 864 a head and sequence, no state work; 2 rows · 2 heads → 3456;
        // readout 96
        DeltaNetSpec dp = new DeltaNetSpec(SequenceIo.tokens(3, 2), DeltaNetSpec.Variant.GATED_DELTAPRODUCT, 4, 1, 2,
                2, 4, 4, 2, true, true, 0.0, DeltaNetSpec.Form.CHUNKED, 0, false);
        assertThat(perStep(dp, 2, 3)).isEqualTo(3 * (4128.0 + 3456 + 96));
    }

    @Test
    void deltaRuleIsCountedInTheFormFlaRuns() {
        DeltaNetSpec gated = new DeltaNetSpec(SequenceIo.tokens(3, 2), DeltaNetSpec.Variant.GATED_DELTANET, 4, 1, 2,
                2, 4, 4, 1, true, false, 0.0, DeltaNetSpec.Form.CHUNKED, 0, false);
        // one chunk of 40: 2·40²·(2·2 + 2·4), nothing for the state (none is carried)
        assertThat(ModelFlops.deltaRule(gated, 40)).isEqualTo(2 * 1600.0 * 12);
        // 70 = 64 + 6: chunk 1 intra 64²·12 + its state write 64·2·4; chunk 2 intra 6²·12, W 6²·2, WS and QS
        // 2·6·2·4 → 2·(49152 + 512 + 432 + 72 + 96)
        assertThat(ModelFlops.deltaRule(gated, 70)).isEqualTo(2 * (49152.0 + 512 + 432 + 72 + 96));
        // fla's DeltaNet runs the token-by-token kernel at L ≤ 64, the fork's DeltaNet[-1,1] at L < 64: 6·d_k·d_v a token
        DeltaNetSpec dn = new DeltaNetSpec(SequenceIo.tokens(3, 2), DeltaNetSpec.Variant.DELTANET, 4, 1, 2, 2, 2, 4, 1,
                false, false, 0.0, DeltaNetSpec.Form.CHUNKED, 0, false);
        assertThat(ModelFlops.deltaRule(dn, 64)).isEqualTo(64 * 6.0 * 4);
        assertThat(ModelFlops.deltaRule(dn, 65)).isEqualTo(2 * (64.0 * 64 * 8 + 64 * 4 + 1 * 8 + 1 * 2 + 2 * 4));
        // fla's defaults at R1's size (6 heads of 256 × 512, L 40): about a sixth of the token-by-token count
        DeltaNetSpec r1 = new DeltaNetSpec(SequenceIo.tokens(3, 2), DeltaNetSpec.Variant.GATED_DELTANET, 128, 2, 6,
                256, 512, 4, 1, true, false, 0.0, DeltaNetSpec.Form.CHUNKED, 0, false);
        assertThat(ModelFlops.deltaRule(r1, 40)).isEqualTo(2 * 1600.0 * (512 + 1024));
        assertThat(ModelFlops.deltaRule(r1, 40) / (40 * 6.0 * 256 * 512)).isLessThan(0.2);
    }

    @Test
    void rwkvLayersMatchAHandCount() {
        // RWKV-7 h = 64 (1 head of 64), 2 blocks, B 2, L 3, K 2, per token: block 0 r,k,v 2·64·192 = 24576,
        // w and a LoRAs 2·(64·64 + 64·64) = 16384 each, g LoRA 2·(64·128 + 128·64) = 32768, o_proj 8192, the
        // recurrence 9·64·64 = 36864 → 135168; block 1 adds the v LoRA 2·(64·16 + 16·64) = 4096 → 139264;
        // readout 2·64·2 = 256; 6 tokens · 274688 = 1648128
        RwkvSpec r7 = RwkvSpec.r1(RwkvSpec.Version.RWKV7, 3, 2, 64, 2, 0.0, false, false);
        assertThat(ModelFlops.of(r7, S, 2, 3).forward()).isEqualTo(1648128.0);
        assertThat(perStep(r7, 2, 3)).isEqualTo(3 * 1648128.0);
        // RWKV-6 h = 16 (K 8, V 16, 4 heads, d_v 4, R 32, D 64), 1 block, per token: DDLerp 2·16·160 + 5·2·32·16
        // = 10240, r,k,v,g 2·16·48 = 1536, decay LoRA 2·(16·64 + 64·8) = 3072, o_proj 512, recurrence 5·8·4 = 160,
        // readout 64 → 15584; 6 tokens → 93504; with GLU 2·16·32 = 1024 more per token
        RwkvSpec r6 = RwkvSpec.r1(RwkvSpec.Version.RWKV6, 3, 2, 16, 1, 0.0, false, false);
        assertThat(ModelFlops.of(r6, S, 2, 3).forward()).isEqualTo(93504.0);
        RwkvSpec r6glu = RwkvSpec.r1(RwkvSpec.Version.RWKV6, 3, 2, 16, 1, 0.0, true, false);
        assertThat(ModelFlops.of(r6glu, S, 2, 3).forward()).isEqualTo(93504.0 + 6 * 1024);
    }

    @Test
    void mamba2MatchesAHandCount() {
        // D 4, E 8 (expand 2), heads of 4 (H 2), N 3, conv 2, 1 block, B 2, L 3 (6 positions), K 2, SSD chunks of 2
        // (Q 2 then Q 1). Per position: in_proj 2·4·(16 + 6 + 2) = 192, conv 2·2·(8 + 6) = 56, out_proj 2·8·4 = 64
        // → 312, 1872. Per sequence: chunk 0 C Bᵀ 2·4·3 = 24, scores·ΔX 2·4·8 = 64, its state 2·2·8·3 = 96;
        // chunk 1 C Bᵀ 2·1·3 = 6, scores·ΔX 2·1·8 = 16, the state's read 2·1·8·3 = 48 → 254, 508.
        // Readout 6·2·4·2 = 96. Forward 1872 + 508 + 96 = 2476.
        Mamba2Spec chunks = new Mamba2Spec(SequenceIo.tokens(3, 2), 4, 1, 3, 4, 2, 2, 2, false, 0.0,
                Mamba2Spec.Form.CHUNKED);
        assertThat(ModelFlops.of(chunks, S, 2, 3).forward()).isEqualTo(2476.0);
        assertThat(perStep(chunks, 2, 3)).isEqualTo(3 * 2476.0);
        // one chunk (R1's chunk_size 256): 2·9·3 + 2·9·8 = 198 a sequence, 396 → 1872 + 396 + 96 = 2364
        assertThat(ModelFlops.of(chunks.withChunkSize(256), S, 2, 3).forward()).isEqualTo(2364.0);
        // GLU: 2·4·8 = 64 more a position
        Mamba2Spec glu = new Mamba2Spec(SequenceIo.tokens(3, 2), 4, 1, 3, 4, 2, 2, 256, true, 0.0,
                Mamba2Spec.Form.CHUNKED);
        assertThat(ModelFlops.of(glu, S, 2, 3).forward()).isEqualTo(2364.0 + 6 * 64);
        // R1's regular-language size (cycle_nav, K 5): ≈ 18.35 GFLOP a step, in_proj two thirds of it
        double r1 = perStep(Mamba2Spec.r1(7, 5, 128, 2, 0.0, false), 256, 40);
        assertThat(r1 / 1e9).isBetween(18.3, 18.4);
    }

    /**
     * Mamba2 against the matrix products its generic chunked graph runs on the reference backend: the same count
     * once the cumulative sum, which that graph computes as a product with a triangular ones matrix
     * ({@code B·H·Q²} multiply-adds a chunk, a sum in the library), is taken out and the depth-wise convolution,
     * shifted slices there, is added.
     */
    @Test
    void mamba2MatchesTheReferenceBackendsCountedMatmuls() throws Exception {
        int b = 3;
        int l = 5;
        for (int chunk : new int[] {2, 256}) {
            Mamba2Spec spec = new Mamba2Spec(SequenceIo.tokens(5, 3), 4, 2, 3, 4, 2, 2, chunk, false, 0.0,
                    Mamba2Spec.Form.CHUNKED);
            long cumsum = 0;
            for (int t0 = 0; t0 < l; t0 += chunk) {
                long q = Math.min(l, t0 + chunk) - t0;
                cumsum += (long) b * spec.numHeads() * q * q;
            }
            double conv = 2.0 * b * l * spec.convKernel() * (spec.innerDim() + 2 * spec.stateDim());
            double counted = countedMatmulFlops(spec, b, l) - 2.0 * spec.numBlocks() * cumsum
                    + spec.numBlocks() * conv;
            assertThat(counted).as("chunk %d", chunk).isEqualTo(ModelFlops.of(spec, S, b, l).forward());
        }
    }

    @Test
    void selectiveSsmsMatchAHandCount() {
        // B 2, L 3 (6 positions), K 2, readout 2·6·4·2 = 96 in every case.
        // S6 in R2's wrapper, h = E = 4, N = 2, R = ⌈4/16⌉ = 1, GLU: x_proj 2·4·(1 + 4) = 40, dt_proj 2·1·4 = 8,
        // scan 6·4·2 + 4 = 52, GLU 2·4·8 = 64 → 164 a position, 984
        SequenceModelSpec s6 = new SequenceModelSpec(SequenceIo.tokens(3, 2), SequenceModelSpec.Core.S6, 4, 2, 1,
                SequenceModelSpec.Mix.GLU, true, 0.0);
        assertThat(ModelFlops.of(s6, S, 2, 3).forward()).isEqualTo(984.0 + 96);
        assertThat(perStep(s6, 2, 3)).isEqualTo(3 * (984.0 + 96));
        // S4D, h = 4, N = 2 complex states: scan 16·4·2 + 4 = 132, GLU 64 → 196 a position, 1176
        SequenceModelSpec s4 = new SequenceModelSpec(SequenceIo.tokens(3, 2), SequenceModelSpec.Core.S4D, 4, 2, 1,
                SequenceModelSpec.Mix.GLU, true, 0.0);
        assertThat(ModelFlops.of(s4, S, 2, 3).forward()).isEqualTo(1176.0 + 96);
        // Mamba v1 in R1's block, D = 4, N = 2, d_conv 3, expand 2 (E = 8), R = 1, no GLU: in_proj 2·4·16 = 128,
        // conv 2·8·3 = 48, x_proj 2·8·5 = 80, dt_proj 2·1·8 = 16, scan 6·8·2 + 8 = 104, out_proj 2·8·4 = 64
        // → 440 a position, 2640; GLU adds 4·16 = 64 a position; two blocks double the blocks' part
        MambaSpec m1 = new MambaSpec(SequenceIo.tokens(3, 2), MambaSpec.Template.R1_POSTNORM, MambaSpec.Core.MAMBA_V1,
                4, 2, 1, 3, 2, false, 0.0);
        assertThat(ModelFlops.of(m1, S, 2, 3).forward()).isEqualTo(2640.0 + 96);
        MambaSpec m1glu = new MambaSpec(SequenceIo.tokens(3, 2), MambaSpec.Template.R1_POSTNORM,
                MambaSpec.Core.MAMBA_V1, 4, 2, 2, 3, 2, true, 0.0);
        assertThat(ModelFlops.of(m1glu, S, 2, 3).forward()).isEqualTo(2 * (2640.0 + 6 * 64) + 96);
        // R1's block around S6 alone (E = D = 4): 40 + 8 + 52 = 100 a position
        MambaSpec s6r1 = new MambaSpec(SequenceIo.tokens(3, 2), MambaSpec.Template.R1_POSTNORM, MambaSpec.Core.S6,
                4, 2, 1, 3, 2, false, 0.0);
        assertThat(ModelFlops.of(s6r1, S, 2, 3).forward()).isEqualTo(600.0 + 96);
        // R1's regular-language size (B 256, L 40, h 128, 2 blocks, K 5): S4D ≈ 6.09, S6 ≈ 5.58, Mamba v1 ≈ 15.28
        SequenceModelSpec s4r1 = new SequenceModelSpec(SequenceIo.tokens(7, 5), SequenceModelSpec.Core.S4D, 128, 16, 2,
                SequenceModelSpec.Mix.GLU, true, 0.0);
        SequenceModelSpec s6r1size = new SequenceModelSpec(SequenceIo.tokens(7, 5), SequenceModelSpec.Core.S6, 128, 16,
                2, SequenceModelSpec.Mix.GLU, true, 0.0);
        assertThat(perStep(s4r1, 256, 40) / 1e9).isBetween(6.08, 6.10);
        assertThat(perStep(s6r1size, 256, 40) / 1e9).isBetween(5.57, 5.59);
        assertThat(perStep(MambaSpec.r1(7, 5, 128, 2, 0.0, false), 256, 40) / 1e9).isBetween(15.27, 15.29);
    }

    @Test
    void familiesWithoutAFormulaSayWhyInsteadOfGuessing() {
        LruSpec lru = LruSpec.r3(3, 2, 1, 4, 2);
        ModelFlops.Estimate e = ModelFlops.of(lru, S, 2, 3);
        assertThat(e.perStep()).isNull();
        assertThat(e.reason()).contains("no FLOP formula");
        // R3's pre-norm S6 and Mamba classifiers read channels: outside the R1 formulas, said so
        ModelFlops.Estimate r3 = ModelFlops.of(MambaSpec.r3Mamba(3, 2, 1, 4, 2, 4, 2), S, 2, 3);
        assertThat(r3.perStep()).isNull();
        assertThat(r3.reason()).contains("R3_PRENORM");
    }

    @Test
    void theR1RegularLanguageSizeGivesTheIssuesOrderOfMagnitude() {
        // BD4 at B 256, L 40, h 128, 2 blocks: ≈ 10 GFLOP a step (the size issue 20 quotes)
        double bd4 = perStep(lcde(StructureSpec.of("block-diagonal", "block_size", "4"), 128, 2, 7, 5), 256, 40);
        assertThat(bd4 / 1e9).isBetween(9.5, 10.5);
        // DE: the 129·h² coefficient product dominates, 2 blocks × 3 × 2·256·39·129·16384
        double de = perStep(lcde(StructureSpec.of("dense"), 128, 2, 7, 5), 256, 40);
        assertThat(de).isGreaterThan(2 * 3 * 2.0 * 256 * 39 * 129 * 16384);
        assertThat(de / 1e9).isBetween(250.0, 260.0);
    }

    /** Forward multiply-adds of every matmul the reference backend runs, ×2, against the formula's forward. */
    @Test
    void matrixProductModelsMatchTheReferenceBackendsCountedMatmuls() throws Exception {
        int b = 3;
        int l = 5;
        ModelSpec[] specs = {
            lcde(StructureSpec.of("dense"), 4, 2, 5, 3),
            lcde(StructureSpec.of("block-diagonal", "block_size", "2"), 4, 2, 5, 3),
            lcde(StructureSpec.of("dense"), 4, 1, 5, 3).withGlu(true),
            new TransformerSpec(SequenceIo.tokens(5, 3), 4, 2, 2, 8, 0.0),
        };
        for (ModelSpec spec : specs) {
            long counted = countedMatmulFlops(spec, b, l);
            if (spec instanceof TransformerSpec t) {
                // RoPE's half rotation [−x₂; x₁] runs as a product with a signed permutation matrix (Attention):
                // a copy, not model arithmetic. (B·L·h)·dh multiply-adds for Q and for K in every layer
                counted -= 2L * t.numBlocks() * 2 * b * l * t.modelDim() * t.headDim();
            }
            assertThat((double) counted).as("%s", spec).isEqualTo(ModelFlops.of(spec, S, b, l).forward());
        }
        // the LSTM: torch's nn.LSTM multiplies U·h₀ at the first step too; lincde's graph skips it (h₀ = 0),
        // 2 layers · B · 2·4h·h fewer
        LstmSpec lstm = new LstmSpec(SequenceIo.tokens(5, 3), 4, 2, 0.0);
        assertThat(countedMatmulFlops(lstm, b, l) + 2.0 * b * 2 * 4 * 4 * 4)
                .isEqualTo(ModelFlops.of(lstm, S, b, l).forward());
        // the tanh RNN likewise skips U·h₀: 2 layers · B · 2·h·h
        SequenceModelSpec rnn = new SequenceModelSpec(SequenceIo.tokens(5, 3), SequenceModelSpec.Core.RNN, 4, 16, 2,
                SequenceModelSpec.Mix.GLU, true, 0.0);
        assertThat(countedMatmulFlops(rnn, b, l) + 2.0 * b * 2 * 4 * 4).isEqualTo(ModelFlops.of(rnn, S, b, l).forward());
        // the selective SSMs: the reference backend runs the scan and the convolution element-wise, so its matmuls
        // are the projections; add the scan (and Mamba's conv) per layer and position back
        double positions = 2.0 * b * l; // 2 layers
        SequenceModelSpec s6 = new SequenceModelSpec(SequenceIo.tokens(5, 3), SequenceModelSpec.Core.S6, 4, 2, 2,
                SequenceModelSpec.Mix.GLU, true, 0.0);
        assertThat(countedMatmulFlops(s6, b, l) + positions * ModelFlops.selectiveScan(4, 2))
                .isEqualTo(ModelFlops.of(s6, S, b, l).forward());
        SequenceModelSpec s4 = new SequenceModelSpec(SequenceIo.tokens(5, 3), SequenceModelSpec.Core.S4D, 4, 2, 2,
                SequenceModelSpec.Mix.GLU, true, 0.0);
        assertThat(countedMatmulFlops(s4, b, l) + positions * (16 * 4 * 2 + 4))
                .isEqualTo(ModelFlops.of(s4, S, b, l).forward());
        MambaSpec m1 = new MambaSpec(SequenceIo.tokens(5, 3), MambaSpec.Template.R1_POSTNORM, MambaSpec.Core.MAMBA_V1,
                4, 2, 2, 3, 2, true, 0.0);
        assertThat(countedMatmulFlops(m1, b, l) + positions * (2 * 8 * 3 + ModelFlops.selectiveScan(8, 2)))
                .isEqualTo(ModelFlops.of(m1, S, b, l).forward());
    }

    @SuppressWarnings("unchecked")
    private static long countedMatmulFlops(ModelSpec spec, int b, int l) throws Exception {
        Backend ref = BackendRegistry.discover().get("reference");
        try (Session session = ref.open(SessionOptions.of(DType.FLOAT64))) {
            Method newOps = session.getClass().getDeclaredMethod("newOps");
            newOps.setAccessible(true);
            TensorOps<Object> inner = (TensorOps<Object>) newOps.invoke(session);
            AtomicLong macs = new AtomicLong();
            TensorOps<Object> ops = (TensorOps<Object>) Proxy.newProxyInstance(TensorOps.class.getClassLoader(),
                    new Class<?>[] {TensorOps.class}, (proxy, m, args) -> {
                        if (m.getName().equals("matmul") && args != null && args.length == 2) {
                            macs.addAndGet(matmulMacs(inner.shape(args[0]), inner.shape(args[1])));
                        }
                        if (m.isDefault()) {
                            return java.lang.reflect.InvocationHandler.invokeDefault(proxy, m, args);
                        }
                        try {
                            return m.invoke(inner, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            ParameterSet init = Models.initialize(spec, S, Rng.seeded(7));
            Map<String, Object> bound = new HashMap<>();
            for (ParameterSet.Entry e : init.entries()) {
                bound.put(e.name(), inner.constant(e.tensor().data(), e.tensor().shape()));
            }
            Batch batch = TrainStepBenchmark.syntheticBatch(Rng.seeded(8), b, l, 5, 3);
            Models.graph(spec, S).forward(ops, bound::get, batch, ForwardMode.inference());
            return 2 * macs.get();
        }
    }

    /** {@code (…, m, k) · (…, k, n)} with broadcast batch dimensions. */
    private static long matmulMacs(int[] a, int[] c) {
        int m = a.length == 1 ? 1 : a[a.length - 2];
        int k = a[a.length - 1];
        int n = c.length == 1 ? 1 : c[c.length - 1];
        long batch = 1;
        int ra = Math.max(0, a.length - 2);
        int rc = Math.max(0, c.length - 2);
        for (int i = 0; i < Math.max(ra, rc); i++) {
            int da = i < ra ? a[ra - 1 - i] : 1;
            int dc = i < rc ? c[rc - 1 - i] : 1;
            batch *= Math.max(da, dc);
        }
        return batch * m * k * n;
    }
}
