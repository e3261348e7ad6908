package org.lincde.spi;

import java.util.Map;

/**
 * An open backend: owns native memory, device, dtype and threads (DJL's manager-as-scope lesson).
 * Models made by a session die with it. Results leave as Java values ({@link HostTensor},
 * {@link ParameterSet}); no native tensor crosses the SPI.
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public interface Session extends AutoCloseable {

    /** The backend that opened this session. */
    Backend backend();

    /** The options it was opened with. */
    SessionOptions options();

    /**
     * A model for {@code spec}, loaded with a copy of {@code parameters} (built by
     * {@code org.lincde.spi.model.Models#initialize} or read from a checkpoint).
     */
    SequenceModel model(ModelSpec spec, ParameterSet parameters);

    /**
     * Evaluates {@code f} on {@code inputs} and differentiates {@code sumAll(f)} with respect to every
     * input: the op-level face of the backend, used by the conformance kit and finite-difference tests.
     */
    GradientResult gradient(OpsFunction f, Map<String, HostTensor> inputs);

    /** What the session actually runs on: engine and native versions, device, threads in use. */
    Map<String, String> provenance();

    /** Releases native memory; idempotent. */
    @Override
    void close();

    /** A function written once over {@link TensorOps}. */
    @FunctionalInterface
    interface OpsFunction {
        /** Builds the output from the named inputs. */
        <T> T apply(TensorOps<T> ops, ParameterLookup<T> inputs);
    }

    /**
     * The value of an {@link OpsFunction} and the gradients of the sum of its elements.
     *
     * @param value     the output
     * @param gradients input name → gradient (same shape as the input)
     */
    record GradientResult(HostTensor value, Map<String, HostTensor> gradients) {}
}
