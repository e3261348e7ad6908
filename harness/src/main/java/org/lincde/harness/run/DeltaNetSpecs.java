package org.lincde.harness.run;

import org.lincde.harness.config.ConfigException;
import org.lincde.harness.config.R1Config;
import org.lincde.spi.DeltaNetSpec;
import org.lincde.spi.InvalidOptionException;

/**
 * R1's fla baselines from a config (docs/models/deltanet.md §1): {@code deltanet}, {@code deltanet2},
 * {@code gateddeltanet} and {@code deltaproduct} ({@code num_householder = rank}, {@code use_forget_gate = gated},
 * {@code allow_neg_eigval = True}), with the library defaults R1 leaves implicit, and lincde's {@code fla_dtype}.
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
        try {
            return DeltaNetSpec.r1(v, vocab, labels, c.modelDim(), c.numBlocks(), c.dropoutRate(), c.useGlu(),
                    v == DeltaNetSpec.Variant.GATED_DELTAPRODUCT ? c.rank() : 1,
                    v == DeltaNetSpec.Variant.GATED_DELTAPRODUCT ? c.gated() : v == DeltaNetSpec.Variant.GATED_DELTANET,
                    "bfloat16".equals(c.flaDtype()));
        } catch (InvalidOptionException e) {
            throw new ConfigException(c.source() + ": key '" + e.option() + "' = " + e.value() + ": "
                    + e.getMessage().replaceFirst("^invalid [^:]*: ", ""), e);
        }
    }
}
