package org.lincde.harness.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lincde.spi.ElementType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterSet;

/**
 * Model weights as the SLiCE authors' code writes them ({@code torch.save(model.state_dict())} of R1's
 * {@code StackedLCDE}, converted to safetensors), checked against the model a config describes
 * (docs/protocols/fidelity.md, "Checkpoints").
 *
 * <p>R1's {@code LinearCDE} registers its sparsity mask as a buffer for <em>every</em> structure
 * ({@code self.register_buffer("mask", self._sparse_mask(sparsity))}, models/slcde.py), so every state dict
 * carries {@code blocks.i.LCDE.mask}, a boolean {@code (h·h) × (d+1)} tensor drawn as
 * {@code rand < sparsity}. R1 reads it only when {@code diagonal} is false (it multiplies
 * {@code vf_A.weight} and its gradients by it). Here:
 * <ul>
 *   <li>sparse models declare the mask (it is their gradient mask): it must have the declared shape, and
 *       every weight under a {@code False} entry must be zero (R1 zeroes them at init and masks their
 *       gradients, so training cannot move them);</li>
 *   <li>dense models (R1's {@code sparsity = 1.0}): {@code rand < 1.0} is always true, so the mask must
 *       be all {@code True}; a {@code False} entry means the checkpoint was trained as a sparse model, and
 *       the error says which key to set;</li>
 *   <li>diagonal-family models (diagonal, block-diagonal, DPLR, Walsh–Hadamard, and plugins): R1 never
 *       reads the mask; its shape is checked and it is dropped.</li>
 * </ul>
 * Any other key the model does not declare (optimiser state, another model's weights) is an error that
 * names every such key.
 */
public final class R1StateDict {
    private static final Pattern MASK = Pattern.compile("blocks\\.(\\d+)\\.LCDE\\.mask");

    private R1StateDict() {}

    /**
     * The parameters of the model {@code spec} from {@code loaded} (read from {@code file}); {@code declared}
     * gives the names, shapes and roles the model expects.
     */
    public static ParameterSet conform(String file, ParameterSet loaded, ParameterSet declared, ModelSpec spec) {
        ParameterSet kept = new ParameterSet();
        List<String> unexpected = new ArrayList<>();
        for (ParameterSet.Entry e : loaded.entries()) {
            if (declared.contains(e.name())) {
                kept.put(e.name(), e.tensor(), e.role());
                continue;
            }
            Matcher m = MASK.matcher(e.name());
            if (m.matches() && spec instanceof LinearCdeSpec l && Integer.parseInt(m.group(1)) < l.numBlocks()) {
                checkUnreadMask(file, e.name(), e.tensor(), l);
                continue;
            }
            unexpected.add(e.name());
        }
        if (!unexpected.isEmpty()) {
            boolean optimiser = unexpected.stream().anyMatch(n -> n.contains("exp_avg") || n.startsWith("state.")
                    || n.startsWith("param_groups") || n.startsWith("optimizer"));
            throw new Safetensors.SafetensorsException(file + ": unexpected key" + (unexpected.size() == 1 ? " " : "s ")
                    + quoted(unexpected) + (optimiser ? " (optimiser state: lincde reads the model's state dict only)"
                    : "") + "; the model has " + declared.names());
        }
        ParameterSet out = Safetensors.conform(file, kept, declared);
        if (spec instanceof LinearCdeSpec l) {
            for (int i = 0; i < l.numBlocks(); i++) {
                String mask = "blocks." + i + ".LCDE.mask";
                String weight = "blocks." + i + ".LCDE.vf_A.weight";
                if (out.contains(mask) && out.contains(weight)) {
                    checkMaskedWeightsAreZero(file, out.get(weight), weight, out.get(mask), mask);
                }
            }
        }
        return out;
    }

    /** A mask the model does not use: R1's shape, and all True for a dense model. */
    private static void checkUnreadMask(String file, String key, HostTensor mask, LinearCdeSpec l) {
        int h = l.modelDim();
        int[] want = {h * h, h + 1};
        if (!Arrays.equals(mask.shape(), want)) {
            throw new Safetensors.SafetensorsException(file + ": key '" + key + "' has shape "
                    + Arrays.toString(mask.shape()) + ", R1's LinearCDE registers it as [h·h, d+1] = "
                    + Arrays.toString(want));
        }
        if (mask.type() != ElementType.BOOL) {
            throw new Safetensors.SafetensorsException(file + ": key '" + key + "' has dtype " + mask.type()
                    + ", R1's mask is BOOL");
        }
        if (l.structure().id().equals("dense")) {
            long off = Arrays.stream(mask.data()).filter(v -> v == 0).count();
            if (off > 0) {
                throw new Safetensors.SafetensorsException(file + ": key '" + key + "' has " + off + " False entries of "
                        + mask.size() + ", but the config's structure is dense (R1's sparsity 1.0 draws an all-True mask): "
                        + "the weights were trained as a sparse model; set key 'sparsity' to the keep probability they "
                        + "were trained with");
            }
        }
    }

    /** R1 zeroes masked weights at init and masks their gradients: a nonzero one is not an R1 state. */
    private static void checkMaskedWeightsAreZero(String file, HostTensor w, String weightKey, HostTensor mask,
                                                  String maskKey) {
        double[] wv = w.data();
        double[] mv = mask.data();
        for (int i = 0; i < wv.length; i++) {
            if (mv[i] == 0 && wv[i] != 0) {
                int cols = w.dim(1);
                throw new Safetensors.SafetensorsException(file + ": key '" + weightKey + "' is " + wv[i] + " at ["
                        + i / cols + ", " + i % cols + "] where key '" + maskKey + "' is False: R1 keeps masked weights "
                        + "at zero (init and gradients are masked), so these weights do not belong to this mask");
            }
        }
    }

    private static String quoted(List<String> names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            b.append(b.length() == 0 ? "" : ", ").append('\'').append(n).append('\'');
        }
        return b.toString();
    }
}
