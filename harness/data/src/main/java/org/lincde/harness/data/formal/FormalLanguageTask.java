package org.lincde.harness.data.formal;

import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Rng;

/**
 * One formal-language task of R1's {@code data_dir/fl_tasks} (SPEC §3.2): a generator of
 * {@link TokenExample}s (input ids, target ids, mask) over a vocabulary whose token 0 is padding.
 * R1's {@code data_dim = label_dim = vocab_size}.
 *
 * <p>Implementations are stateless: everything random comes from the {@link Rng} passed in, so an
 * example is a pure function of the stream's key. The bit streams of PyTorch's generator cannot be
 * reproduced; the distributions are (SPEC §7).
 */
public interface FormalLanguageTask {
    /** R1's task name, e.g. {@code "cycle_nav"}. */
    String name();

    /** Vocabulary size including the padding token 0. */
    int vocabSize();

    /**
     * The smallest requested length the task accepts. R1 raises some minimum lengths (binary
     * arithmetic to 5, solve_equation to 4, SPEC §3.2); {@link #sample} does the same.
     */
    default int minimumLength() {
        return 1;
    }

    /**
     * One example for requested length {@code length}; the task may adjust it (round odd lengths
     * up, SPEC §3.2 says which).
     *
     * @throws IllegalArgumentException if {@code length < minimumLength()}
     */
    TokenExample generate(Rng rng, int length);

    /**
     * One example with its requested length drawn {@code U{max(minLength, minimumLength())..maxLength}}
     * (R1's {@code randint(min, max + 1)}) from {@code rng}, then {@link #generate} from the same
     * stream.
     */
    default TokenExample sample(Rng rng, int minLength, int maxLength) {
        int min = Math.max(minLength, minimumLength());
        if (maxLength < min) {
            throw new IllegalArgumentException(name() + ": length range [" + minLength + ", " + maxLength
                    + "] has no length >= the task's minimum " + minimumLength());
        }
        return generate(rng, rng.nextIntInclusive(min, maxLength));
    }
}
