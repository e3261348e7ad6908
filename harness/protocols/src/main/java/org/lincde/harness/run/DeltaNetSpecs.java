package org.lincde.harness.run;

import org.lincde.harness.config.ConfigException;
import org.lincde.harness.config.R1Config;
import org.lincde.spi.DeltaNetSpec;
import org.lincde.spi.InvalidOptionException;

/**
 * R1's fla baselines from a config (docs/models/deltanet.md §1): {@code deltanet}, {@code deltanet2},
 * {@code gateddeltanet} and {@code deltaproduct} ({@code num_householder = rank}, {@code use_forget_gate = gated},
 * {@code allow_neg_eigval = True}), with the library defaults R1 leaves implicit, and lincde's {@code fla_dtype},
 * {@code fla_num_heads} and {@code fla_head_dim} (smaller heads for laptop-scale runs; the value width stays
 * {@code expand_v = 2} key widths for the gated layers).
 * A bad size is one error naming the config file and key.
 */
final class DeltaNetSpecs {
    private DeltaNetSpecs() {}

    static DeltaNetSpec fromR1(R1Config c, int vocab, int labels) {
        DeltaNetSpec.Variant v = DeltaNetSpec.Variant.ofModelName(c.modelName())
                .orElseThrow(() -> new IllegalArgumentException("not a delta-rule model: " + c.modelName()));
        if (v == DeltaNetSpec.Variant.GATED_DELTAPRODUCT && c.rank() < 1) {
            throw new ConfigException(c.source() + ": key 'rank' = " + c.rank() + ": model_name \"deltaproduct\" "
                    + "uses rank as the number of Householder factors per token (GatedDeltaProduct's num_householder), "
                    + "so it must be >= 1 (R1's default 0 fails in fla; the library's own default is 2)");
        }
        R1Config.FlaOptions fla = c.fla();
        boolean plain = v == DeltaNetSpec.Variant.DELTANET || v == DeltaNetSpec.Variant.DELTANET_NEG;
        if (plain && fla.headDim() > 0) {
            throw new ConfigException(c.source() + ": key 'fla_head_dim' = " + fla.headDim() + ": fla's DeltaNet has no "
                    + "head_dim; its heads are model_dim / fla_num_heads wide");
        }
        if (plain && fla.numHeads() > 0 && c.modelDim() % fla.numHeads() != 0) {
            throw new ConfigException(c.source() + ": key 'model_dim' = " + c.modelDim() + " is not a multiple of "
                    + "fla_num_heads = " + fla.numHeads() + " (DeltaNet's heads are model_dim / num_heads wide)");
        }
        try {
            DeltaNetSpec s = DeltaNetSpec.r1(v, vocab, labels, c.modelDim(), c.numBlocks(), c.dropoutRate(), c.useGlu(),
                    v == DeltaNetSpec.Variant.GATED_DELTAPRODUCT ? c.rank() : 1,
                    v == DeltaNetSpec.Variant.GATED_DELTAPRODUCT ? c.gated() : v == DeltaNetSpec.Variant.GATED_DELTANET,
                    "bfloat16".equals(fla.dtype()));
            if (fla.resized()) {
                int heads = fla.numHeads() > 0 ? fla.numHeads() : s.numHeads();
                int dk = plain ? c.modelDim() / heads : fla.headDim() > 0 ? fla.headDim() : s.headKDim();
                int dv = plain ? dk : dk * DeltaNetSpec.GATED_EXPAND_V;
                s = s.withHeads(heads, dk, dv);
            }
            return s;
        } catch (InvalidOptionException e) {
            throw new ConfigException(c.source() + ": key '" + e.option() + "' = " + e.value() + ": "
                    + e.getMessage().replaceFirst("^invalid [^:]*: ", ""), e);
        }
    }
}
