package org.lincde.spi.structure;

import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;

/** A built-in field sized by a block {@code b} (the block-diagonal blocks, the diagonal-dense dense block). */
abstract class BlockSizedField extends BuiltInField {
    /** Block size {@code b}. */
    protected final int b;

    BlockSizedField(Structure structure, StructureSpec spec, int hidden, int controlChannels, int b) {
        super(structure, spec, hidden, controlChannels);
        this.b = b;
    }

    /** Block size {@code b}: of every block (block-diagonal) or of the one dense block (diagonal-dense). */
    public int blockSize() {
        return b;
    }
}
