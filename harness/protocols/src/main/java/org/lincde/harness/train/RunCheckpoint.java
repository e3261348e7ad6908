package org.lincde.harness.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lincde.harness.io.Safetensors;
import org.lincde.spi.ElementType;
import org.lincde.spi.OptimizerState;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.SequenceModel;

/**
 * A run's resume point: its parameters, its optimiser state (step count and AdamW moments) and its loop's own state
 * (next step, curve so far, best metrics, early-stopping counters, running loss sums) in one safetensors file
 * ({@code resume.safetensors}; the loop state as JSON in the header's metadata), written atomically, so a kill at any
 * moment leaves either the previous checkpoint or the new one. Values are stored in float64: float32 and float64
 * parameters come back bit for bit, and a resumed run on the reference backend gives the record an uninterrupted run
 * gives. Batches and dropout masks are functions of the step (counter-based {@code Rng} streams), so the step is the
 * RNG position.
 *
 * <p>A checkpoint is due every {@code everySteps} steps, at least every {@code everyNanos} of wall time, and at once
 * when {@link Preemption} was requested (the loop then throws {@link RunPreempted} after saving).
 */
public final class RunCheckpoint {
    /** Checkpoints nowhere: nothing saved, nothing resumed. */
    public static final RunCheckpoint NONE = new RunCheckpoint(null, Long.MAX_VALUE, Long.MAX_VALUE);
    /** Default wall-time bound between checkpoints: what a kill -9 can lose at most (plus the step in flight). */
    public static final long DEFAULT_EVERY_NANOS = 10L * 60 * 1_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = "resume.safetensors";
    private static final String LOOP_KEY = "lincde.loop";

    private final Path dir;
    private final long everySteps;
    private final long everyNanos;
    private long lastStep = -1;
    private long lastNanos = System.nanoTime();

    private RunCheckpoint(Path dir, long everySteps, long everyNanos) {
        this.dir = dir;
        this.everySteps = everySteps;
        this.everyNanos = everyNanos;
    }

    /** Checkpoints in {@code dir} (null: {@link #NONE}) every {@code everySteps} steps and every ten minutes. */
    public static RunCheckpoint in(Path dir, long everySteps) {
        return in(dir, everySteps, DEFAULT_EVERY_NANOS);
    }

    /** Checkpoints in {@code dir} (null: {@link #NONE}) every {@code everySteps} steps and {@code everyNanos}. */
    public static RunCheckpoint in(Path dir, long everySteps, long everyNanos) {
        if (dir == null) {
            return NONE;
        }
        if (everySteps < 1 || everyNanos < 1) {
            throw new IllegalArgumentException("checkpoint interval must be positive, got " + everySteps + " steps, "
                    + everyNanos + " ns");
        }
        return new RunCheckpoint(dir, everySteps, everyNanos);
    }

    /** What a checkpoint holds. */
    public record Saved(ParameterSet parameters, OptimizerState optimizer, Map<String, Object> loop) {
        /** A double of the loop state, exactly as saved by {@link #exact}. */
        public double number(String key) {
            Object v = loop.get(key);
            if (v instanceof String str) {
                return Double.parseDouble(str);
            }
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            throw new IllegalStateException("checkpoint loop state lacks the number '" + key + "'");
        }

        /** A whole number of the loop state. */
        public long integer(String key) {
            Object v = loop.get(key);
            if (!(v instanceof Number n)) {
                throw new IllegalStateException("checkpoint loop state lacks the whole number '" + key + "'");
            }
            return n.longValue();
        }

        /** A curve saved with {@link #curve(List)}. */
        @SuppressWarnings("unchecked")
        public List<EvaluationPoint> curve(String key) {
            List<EvaluationPoint> out = new ArrayList<>();
            for (Object o : (List<Object>) loop.getOrDefault(key, List.of())) {
                List<Object> p = (List<Object>) o;
                out.add(new EvaluationPoint(Long.parseLong(p.get(0).toString()), Double.parseDouble(p.get(1).toString()),
                        Double.parseDouble(p.get(2).toString())));
            }
            return out;
        }

        /** A list of doubles saved with {@link #exact(List)}. */
        @SuppressWarnings("unchecked")
        public List<Double> numbers(String key) {
            List<Double> out = new ArrayList<>();
            for (Object o : (List<Object>) loop.getOrDefault(key, List.of())) {
                out.add(Double.parseDouble(o.toString()));
            }
            return out;
        }
    }

    /** A double in a form JSON keeps bit for bit (NaN and infinities included). */
    public static String exact(double v) {
        return Double.toString(v);
    }

    /** Doubles in a form JSON keeps bit for bit. */
    public static List<String> exact(List<Double> values) {
        return values.stream().map(RunCheckpoint::exact).toList();
    }

    /** A curve in a form JSON keeps bit for bit. */
    public static List<List<String>> curve(List<EvaluationPoint> curve) {
        return curve.stream().map(p -> List.of(Long.toString(p.step()), exact(p.valAccuracy()), exact(p.trainLoss())))
                .toList();
    }

    /** The saved checkpoint, if one exists. */
    public Optional<Saved> load() {
        if (dir == null || !Files.isRegularFile(dir.resolve(FILE))) {
            return Optional.empty();
        }
        Path f = dir.resolve(FILE);
        try {
            ParameterSet all = Safetensors.read(f);
            String loopJson = Safetensors.metadata(f).get(LOOP_KEY);
            if (loopJson == null) {
                throw new IllegalStateException(f + ": not a lincde resume checkpoint (no " + LOOP_KEY + ")");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> loop = JSON.readValue(loopJson, LinkedHashMap.class);
            ParameterSet params = new ParameterSet();
            ParameterSet m = new ParameterSet();
            ParameterSet v = new ParameterSet();
            for (ParameterSet.Entry e : all.entries()) {
                if (e.name().startsWith("p/")) {
                    params.put(e.name().substring(2), e.tensor(), e.role());
                } else if (e.name().startsWith("m/")) {
                    m.put(e.name().substring(2), e.tensor());
                } else if (e.name().startsWith("v/")) {
                    v.put(e.name().substring(2), e.tensor());
                }
            }
            long steps = ((Number) loop.get("optimizer_steps")).longValue();
            lastStep = ((Number) loop.get("step")).longValue();
            lastNanos = System.nanoTime();
            return Optional.of(new Saved(params, new OptimizerState(steps, m, v), loop));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + f, e);
        }
    }

    /** Whether a checkpoint is due before step {@code nextStep} (steps or time elapsed, or a preemption). */
    public boolean due(long nextStep) {
        if (dir == null) {
            return false;
        }
        if (lastStep < 0) {
            lastStep = 0;
        }
        return Preemption.requested() || nextStep - lastStep >= everySteps || System.nanoTime() - lastNanos >= everyNanos;
    }

    /**
     * Saves {@code model} and {@code loop} (which must hold {@code step}, the next step to run) atomically; then, if a
     * preemption was requested, throws {@link RunPreempted}.
     */
    public void save(SequenceModel model, Map<String, Object> loop) {
        if (dir == null) {
            return;
        }
        long step = ((Number) loop.get("step")).longValue();
        OptimizerState opt = model.optimizerState();
        ParameterSet all = new ParameterSet();
        for (ParameterSet.Entry e : model.parameters().entries()) {
            all.put("p/" + e.name(), e.tensor(), e.role());
        }
        for (ParameterSet.Entry e : opt.firstMoments().entries()) {
            all.put("m/" + e.name(), e.tensor());
            all.put("v/" + e.name(), opt.secondMoments().get(e.name()));
        }
        Map<String, Object> state = new LinkedHashMap<>(loop);
        state.put("optimizer_steps", opt.steps());
        try {
            Files.createDirectories(dir);
            Safetensors.write(dir.resolve(FILE), all, ElementType.FLOAT64, Map.of(LOOP_KEY, JSON.writeValueAsString(state)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("loop state is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint in " + dir, e);
        }
        lastStep = step;
        lastNanos = System.nanoTime();
        if (Preemption.requested()) {
            throw new RunPreempted(step);
        }
    }

    /** Deletes the checkpoint (once the run's record is written). */
    public void delete() {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete checkpoint in " + dir, e);
        }
    }
}
