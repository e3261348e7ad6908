package org.lincde.harness.uea;

import org.lincde.spi.StructureSpec;

/**
 * The linear-NCDE variants of R3's UEA experiments (SPEC §4.3 "Variant-specific keys"), each mapped to a
 * structure of the registry configured as R3 configures it.
 */
public enum LinearNcdeVariant implements UeaModel {
    /** {@code diagonal_linear_ncde}: block size 1, depth 1 on every dataset. */
    DIAGONAL("diagonal_linear_ncde", "D-LNCDE"),
    /** {@code bd_linear_ncde}: 4×4 blocks. */
    BLOCK_DIAGONAL("bd_linear_ncde", "BD-LNCDE"),
    /** {@code dense_linear_ncde}: block size = h. */
    DENSE("dense_linear_ncde", "DE-LNCDE"),
    /** {@code diagonal_dense_linear_ncde}: diagonal ⊕ dense 16×16 (plain dense when h = 16: HB, MI). */
    DIAGONAL_DENSE("diagonal_dense_linear_ncde", "D-DE-LNCDE"),
    /** {@code dplr_linear_ncde}: rank 4, low rank linear in the control (R3). */
    DPLR("dplr_linear_ncde", "DPLR-LNCDE"),
    /** {@code sparse_linear_ncde}: 10 % of the dense weights kept. */
    SPARSE("sparse_linear_ncde", "S-LNCDE"),
    /** {@code wh_linear_ncde}: Walsh–Hadamard times diagonal, no tanh (R3). */
    WALSH_HADAMARD("wh_linear_ncde", "WH-LNCDE");

    private final String modelName;
    private final String label;

    LinearNcdeVariant(String modelName, String label) {
        this.modelName = modelName;
        this.label = label;
    }

    /** R3's {@code model_name} (its config folder under {@code experiment_configs/repeats}). */
    @Override
    public String modelName() {
        return modelName;
    }

    /** The paper's name ({@code BD-LNCDE}). */
    @Override
    public String label() {
        return label;
    }

    /** The structure R3 uses for this variant at hidden size {@code h}. */
    public StructureSpec structure(int hidden) {
        return switch (this) {
            case DIAGONAL -> StructureSpec.of("diagonal");
            case BLOCK_DIAGONAL -> StructureSpec.of("block-diagonal", "block_size", "4");
            case DENSE -> StructureSpec.of("dense");
            // R3 turns diagonal_dense off where h = 16 = block size (HB, MI): a plain dense field (regularised)
            case DIAGONAL_DENSE -> hidden <= 16 ? StructureSpec.of("dense")
                    : StructureSpec.of("diagonal-dense", "block_size", "16");
            case DPLR -> StructureSpec.of("dplr", "rank", "4", "form", "linear");
            case SPARSE -> StructureSpec.of("sparse", "sparsity", "0.1");
            case WALSH_HADAMARD -> StructureSpec.of("walsh-hadamard", "parameter_tanh", "false");
        };
    }

    /** The log-ODE depth: 1 for D-LNCDE everywhere (R3's depth override), else the dataset's. */
    public int depth(int datasetDepth) {
        return this == DIAGONAL ? 1 : datasetDepth;
    }

    /** Whether the DPLR-specific log-signature divisor applies (SPEC §3.5 item 6). */
    public boolean dplr() {
        return this == DPLR;
    }

    /** Parses a model name ({@code bd_linear_ncde}), a label ({@code BD-LNCDE}) or an enum name. */
    public static LinearNcdeVariant parse(String s) {
        String t = s.trim();
        for (LinearNcdeVariant v : values()) {
            if (v.modelName.equalsIgnoreCase(t) || v.label.equalsIgnoreCase(t) || v.name().equalsIgnoreCase(t)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown linear-NCDE variant '" + s + "' (known: "
                + java.util.Arrays.stream(values()).map(v -> v.modelName).toList() + ")");
    }
}
