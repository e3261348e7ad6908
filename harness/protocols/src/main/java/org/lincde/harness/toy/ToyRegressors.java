package org.lincde.harness.toy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import org.lincde.spi.Batch;
import org.lincde.spi.ModelSpec;

/**
 * Where the trained regressors of the toy figure come from, by {@link ToyModelKey}: providers found with
 * {@link ServiceLoader} ({@link Provider}); {@link R2SequenceModelRegressors} answers for R2's S4 and Mamba.
 * A key no provider answers for is shown by the toy artifact as "not available" beside the published value.
 */
public final class ToyRegressors {
    /**
     * A model and how a toy batch ({@code ChannelInputs(B, L, d)} of path values, {@code RealTargets(B, 1)}) is
     * turned into its input.
     *
     * @param spec     the model (output dimension 1)
     * @param encoding batch → model batch (identity for sequence models reading the raw path)
     */
    public record ToyRegressor(ModelSpec spec, UnaryOperator<Batch> encoding) {}

    /** A source of toy regressors (a {@link ServiceLoader} service). */
    public interface Provider {
        /** The regressor for {@code key}, or empty when this provider has none. */
        Optional<ToyRegressor> regressor(ToyModelKey key);
    }

    private final List<Provider> providers;

    /** Explicit providers (tests). */
    public ToyRegressors(List<Provider> providers) {
        this.providers = List.copyOf(providers);
    }

    /** Providers on the class path; one that fails to load is skipped. */
    public static ToyRegressors discover() {
        List<Provider> found = new ArrayList<>();
        Iterator<Provider> it = ServiceLoader.load(Provider.class).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                // a broken provider must not hide the others (SLF4J's lesson, docs/STYLE.md S1)
            }
        }
        return new ToyRegressors(found);
    }

    /** The first provider's regressor for {@code key}. */
    public Optional<ToyRegressor> find(ToyModelKey key) {
        for (Provider p : providers) {
            Optional<ToyRegressor> r = p.regressor(key);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }
}
