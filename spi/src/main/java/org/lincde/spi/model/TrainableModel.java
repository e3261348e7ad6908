package org.lincde.spi.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ElementType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.OptimizerState;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Stability;

/**
 * A {@link SequenceModel} over a {@link ModelGraph} with the training-step policy written once, above
 * the backends. A backend supplies its arrays ({@link ParameterArrays}), its forward pass and one
 * forward + backward pass of the objective ({@link #backward}); this class does the rest:
 * <ul>
 *   <li>{@link #load}: every declared parameter present with its declared shape, nothing extra
 *       (one message per error); resets the optimiser state and the step count;</li>
 *   <li>gradients: one per trainable parameter in declaration order, zeros where no backward pass
 *       reached it, then the graph's gradient masks (SPEC §1.1 item 6: R1's {@code mask_grads} after
 *       every backward pass);</li>
 *   <li>{@link #trainStep}: the non-finite guard (a NaN/Inf loss or gradient element skips the
 *       update, leaves parameters, moments and the step count unchanged and reports
 *       {@code finite = false}), then one AdamW update (SPEC §4.1) of every trainable parameter with
 *       its group's weight decay ({@link OptimizerSpec.AdamW#decayFor}: R1's no-decay group is the
 *       embeddings) and bias correction by the count of finite steps. Moments are zeros made on a
 *       parameter's first update and dropped by {@link #load}.</li>
 * </ul>
 * Gradients read back as host tensors carry the session dtype's element type.
 *
 * @param <A> the backend's array type for parameters, moments and gradients
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.2")
public abstract class TrainableModel<A> implements SequenceModel {
    private final String backend;
    private final ModelGraph graph;
    private final ElementType gradientType;
    private final ParameterArrays<A> arrays;
    private final List<Slot<A>> slots = new ArrayList<>();
    private final Map<String, Slot<A>> byName = new HashMap<>();
    private long steps;
    private boolean closed;

    /**
     * @param backend    the backend's id (for messages)
     * @param graph      the model
     * @param dtype      the session's precision (gradients read back with its element type)
     * @param arrays     the backend's array arithmetic
     * @param parameters initial parameters (checked as by {@link #load})
     */
    protected TrainableModel(String backend, ModelGraph graph, DType dtype, ParameterArrays<A> arrays,
                             ParameterSet parameters) {
        this.backend = backend;
        this.graph = graph;
        this.gradientType = dtype == DType.FLOAT32 ? ElementType.FLOAT32 : ElementType.FLOAT64;
        this.arrays = arrays;
        load(parameters);
    }

    /** One stored parameter or buffer: its value and, once updated, its AdamW moments. */
    public static final class Slot<A> {
        private final String name;
        private final int[] shape;
        private final ParameterSet.Role role;
        private final ElementType hostType;
        private final A value;
        private A m;
        private A v;

        Slot(String name, int[] shape, ParameterSet.Role role, ElementType hostType, A value) {
            this.name = name;
            this.shape = shape;
            this.role = role;
            this.hostType = hostType;
            this.value = value;
        }

        /** The full parameter name. */
        public String name() {
            return name;
        }

        /** Its shape (do not modify). */
        public int[] shape() {
            return shape;
        }

        /** Whether it is trained (else a buffer such as a mask). */
        public boolean trainable() {
            return role == ParameterSet.Role.TRAINABLE;
        }

        /** The element type it was loaded with, as reported by {@link #parameters()}. */
        public ElementType hostType() {
            return hostType;
        }

        /** The stored value (updated in place by training steps). */
        public A value() {
            return value;
        }
    }

    /**
     * What one forward and backward pass of the objective gives the policy.
     *
     * @param loss        data loss + λ·regulariser
     * @param dataLoss    the data loss alone
     * @param regularizer the regulariser before λ
     * @param gradient    the raw gradient of a trainable parameter by name, or null where none reached it
     */
    public record Pass<A>(double loss, double dataLoss, double regularizer, Function<String, A> gradient) {}

    /**
     * Runs the objective over {@code batches} forward and backward (the backend's autograd) and hands
     * the result to {@code use} while the gradients are alive (inside the backend's call scope).
     */
    protected abstract <R> R backward(List<Batch> batches, Objective objective, ForwardMode mode,
                                      Function<Pass<A>, R> use);

    /** The stored parameters and buffers in declaration order. */
    protected final List<Slot<A>> slots() {
        checkOpen();
        return Collections.unmodifiableList(slots);
    }

    /** The graph this model runs. */
    protected final ModelGraph graph() {
        return graph;
    }

    /** A lookup over a backend's bound tensors that names a missing parameter. */
    protected static <T> ParameterLookup<T> lookup(Map<String, T> bound) {
        return name -> {
            T t = bound.get(name);
            if (t == null) {
                throw new IllegalArgumentException("model has no parameter '" + name + "'");
            }
            return t;
        };
    }

    /** Fails once the model is closed. */
    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model of backend '" + backend + "' is closed");
        }
    }

    @Override
    public final ModelSpec spec() {
        return graph.spec();
    }

    @Override
    public final LossReport lossAndGradients(List<Batch> batches, Objective objective, ForwardMode mode) {
        checkOpen();
        return backward(batches, objective, mode, pass -> {
            ParameterSet grads = new ParameterSet();
            maskedGradients(pass).forEach((name, g) ->
                    grads.put(name, arrays.toHost(g, byName.get(name).shape, gradientType)));
            return new LossReport(pass.loss(), pass.dataLoss(), pass.regularizer(), grads);
        });
    }

    @Override
    public final StepReport trainStep(List<Batch> batches, Objective objective, OptimizerSpec optimizer,
                                      double learningRate, ForwardMode mode) {
        checkOpen();
        if (!(optimizer instanceof OptimizerSpec.AdamW adam)) {
            throw new IllegalArgumentException("backend '" + backend + "' has no optimiser " + optimizer);
        }
        return backward(batches, objective, mode, pass -> {
            Map<String, A> grads = maskedGradients(pass);
            boolean finite = Double.isFinite(pass.loss());
            for (A g : grads.values()) {
                finite = finite && arrays.allFinite(g);
            }
            if (finite) {
                steps++;
                for (Slot<A> s : slots) {
                    if (!s.trainable()) {
                        continue;
                    }
                    if (s.m == null) {
                        s.m = arrays.momentLike(s.value);
                        s.v = arrays.momentLike(s.value);
                    }
                    arrays.adamW(adam, s.value, grads.get(s.name), s.m, s.v, steps, learningRate,
                            adam.decayFor(s.name));
                }
            }
            return new StepReport(pass.loss(), pass.dataLoss(), pass.regularizer(), finite);
        });
    }

    /** Every trainable parameter's gradient (zeros where none reached it) with the graph's masks applied. */
    private Map<String, A> maskedGradients(Pass<A> pass) {
        Map<String, String> masks = graph.gradientMasks();
        Map<String, A> grads = new LinkedHashMap<>();
        for (Slot<A> s : slots) {
            if (s.trainable()) {
                A g = pass.gradient().apply(s.name);
                if (g == null) {
                    g = arrays.zerosLike(s.value);
                }
                String mask = masks.get(s.name);
                grads.put(s.name, mask == null ? g : arrays.mask(g, byName.get(mask).value));
            }
        }
        return grads;
    }

    @Override
    public final ParameterSet parameters() {
        checkOpen();
        ParameterSet p = new ParameterSet();
        for (Slot<A> s : slots) {
            p.put(s.name, arrays.toHost(s.value, s.shape, s.hostType), s.role);
        }
        return p;
    }

    @Override
    public final void load(ParameterSet parameters) {
        checkOpen();
        List<ParameterShape> declared = graph.parameters();
        for (ParameterShape s : declared) {
            if (!parameters.contains(s.name())) {
                throw new IllegalArgumentException("parameter set lacks '" + s.name() + "' required by "
                        + graph.spec().family() + " (shape " + Arrays.toString(s.shape()) + ")");
            }
            int[] shape = parameters.get(s.name()).shape();
            if (!Arrays.equals(shape, s.shape())) {
                throw new IllegalArgumentException("parameter '" + s.name() + "' has shape "
                        + Arrays.toString(shape) + ", the model needs " + Arrays.toString(s.shape()));
            }
        }
        Set<String> names = new HashSet<>();
        declared.forEach(s -> names.add(s.name()));
        for (String name : parameters.names()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("parameter set has '" + name + "', which the model does not use");
            }
        }
        releaseAll();
        for (ParameterShape s : declared) {
            HostTensor t = parameters.get(s.name());
            Slot<A> slot = new Slot<>(s.name(), s.shape(), s.role(), arrays.storedType(s, t), arrays.store(s, t));
            slots.add(slot);
            byName.put(s.name(), slot);
        }
        steps = 0;
    }

    private void releaseAll() {
        for (Slot<A> s : slots) {
            arrays.release(s.value);
            if (s.m != null) {
                arrays.release(s.m);
                arrays.release(s.v);
            }
        }
        slots.clear();
        byName.clear();
    }

    @Override
    public final long steps() {
        return steps;
    }

    @Override
    public final OptimizerState optimizerState() {
        checkOpen();
        ParameterSet m = new ParameterSet();
        ParameterSet v = new ParameterSet();
        for (Slot<A> s : slots) {
            if (s.m != null) {
                m.put(s.name, arrays.toHost(s.m, s.shape, gradientType));
                v.put(s.name, arrays.toHost(s.v, s.shape, gradientType));
            }
        }
        return new OptimizerState(steps, m, v);
    }

    @Override
    public final void restore(ParameterSet parameters, OptimizerState state) {
        load(parameters);
        for (String name : state.firstMoments().names()) {
            Slot<A> s = byName.get(name);
            if (s == null || !s.trainable()) {
                throw new IllegalArgumentException("optimiser state has moments for '" + name
                        + "', which is not a trainable parameter of the model");
            }
            for (HostTensor t : List.of(state.firstMoments().get(name), state.secondMoments().get(name))) {
                if (!Arrays.equals(t.shape(), s.shape)) {
                    throw new IllegalArgumentException("optimiser moment of '" + name + "' has shape "
                            + Arrays.toString(t.shape()) + ", the parameter " + Arrays.toString(s.shape));
                }
            }
            ParameterShape shape = new ParameterShape(name, s.shape, s.role);
            s.m = arrays.store(shape, state.firstMoments().get(name));
            s.v = arrays.store(shape, state.secondMoments().get(name));
        }
        steps = state.steps();
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            releaseAll();
        }
    }
}
