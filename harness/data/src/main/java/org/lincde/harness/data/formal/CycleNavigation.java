package org.lincde.harness.data.formal;

import java.util.List;
import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Rng;

/**
 * {@code cycle_nav} (SPEC §3.2, regular): L moves, each uniform over {@code STAY→1, +1→2, −1→3},
 * on a cycle of 5 positions starting at 0. Label at the last position only:
 * {@code 4 + ((#(+1) − #(−1)) mod 5)} ∈ 4..8, the non-negative modulo. Vocabulary 9.
 */
public final class CycleNavigation extends NamedTask {
    /** Token of the move {@code STAY}. */
    public static final int STAY = 1;
    /** Token of the move {@code +1}. */
    public static final int FORWARD = 2;
    /** Token of the move {@code −1}. */
    public static final int BACKWARD = 3;

    public CycleNavigation() {
        super("cycle_nav", 9);
    }

    @Override
    public TokenExample generate(Rng rng, int length) {
        Examples.checkLength(this, length);
        int[] moves = new int[length];
        for (int i = 0; i < length; i++) {
            moves[i] = 1 + rng.nextInt(3);
        }
        return Examples.labelAtLastPosition(moves, label(moves));
    }

    /** The label of a sequence of move ids. */
    public static int label(int[] moves) {
        int position = 0;
        for (int m : moves) {
            position += m == FORWARD ? 1 : m == BACKWARD ? -1 : 0;
        }
        return 4 + Math.floorMod(position, 5);
    }

    /**
     * R1's {@code preprocess_data} from symbols: moves {@code "STAY"}, {@code "+1"}, {@code "-1"}
     * and the given label (not recomputed).
     */
    public TokenExample preprocess(List<String> moves, int label) {
        int[] input = new int[moves.size()];
        for (int i = 0; i < input.length; i++) {
            input[i] = switch (moves.get(i)) {
                case "STAY" -> STAY;
                case "+1" -> FORWARD;
                case "-1" -> BACKWARD;
                default -> throw new IllegalArgumentException(name() + ": move '" + moves.get(i) + "' at position "
                        + i + " is not STAY, +1 or -1");
            };
        }
        Examples.checkTokens(name(), vocabSize(), input);
        Examples.checkLabel(name(), vocabSize(), label);
        return Examples.labelAtLastPosition(input, label);
    }
}
