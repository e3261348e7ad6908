package org.lincde.spi.structure;

import java.util.List;
import java.util.function.Function;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;

/**
 * The built-in structures' metadata, held once: id, label (from the spec where it names an option's value,
 * as in BD4, D-DE16, DPLR4), description and options. Each structure still writes its own
 * {@link #configure} with its option checks.
 */
abstract class BuiltInStructure implements Structure {
    private final String id;
    private final Function<StructureSpec, String> label;
    private final String description;
    private final List<Option> options;

    BuiltInStructure(String id, Function<StructureSpec, String> label, String description, Option... options) {
        this.id = id;
        this.label = label;
        this.description = description;
        this.options = List.of(options);
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String label(StructureSpec spec) {
        return label.apply(spec);
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final List<Option> options() {
        return options;
    }
}
