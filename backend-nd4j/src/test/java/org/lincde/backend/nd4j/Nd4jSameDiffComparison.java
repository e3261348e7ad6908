package org.lincde.backend.nd4j;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.lincde.spi.DType;
import org.lincde.spi.Device;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.LinearCdeLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Manual measurement (not a unit test) behind the SameDiff-vs-tape decision in
 * {@code Nd4jTensorOps}: one diagonal Linear CDE layer's recurrence at R1 size (B = 256, L = 40,
 * h = 128, float32, 2 threads), {@code loss = Σ tanh(states)}, gradients for the projection
 * {@code W} and {@code y0}. SameDiff: graph construction and {@code calculateGradients}; the tape:
 * the same function through {@link Session#gradient}, generic per-step loop and fused kernel.
 * <pre>
 *   java -cp backend-nd4j/target/test-classes:backend-nd4j/target/classes:$(cat cp.txt) \
 *       org.lincde.backend.nd4j.Nd4jSameDiffComparison
 * </pre>
 */
public final class Nd4jSameDiffComparison {
    private static final int B = 256;
    private static final int L = 40;
    private static final int H = 128;
    private static final double DT = 1.0 / 40;
    private static final double CLIP = 1e11;

    private Nd4jSameDiffComparison() {}

    public static void main(String[] args) {
        Rng rng = Rng.seeded(3);
        HostTensor u = Nd4jFixtures.normal(rng.stream("u"), DT, B * (L - 1), H + 1);
        HostTensor w = Nd4jFixtures.normal(rng.stream("w"), 1.0, H + 1, H);
        HostTensor y0 = Nd4jFixtures.normal(rng.stream("y0"), 1.0, B, H);
        try (Session fused = new Nd4jBackend().open(new SessionOptions(DType.FLOAT32, Device.CPU, 2, true, null));
             Session generic = new Nd4jBackend().open(new SessionOptions(DType.FLOAT32, Device.CPU, 2, false, null))) {
            sameDiff(u, w, y0);
            tape("tape, generic loop", generic, u, w, y0);
            tape("tape, fused kernel", fused, u, w, y0);
        }
    }

    private static void sameDiff(HostTensor u, HostTensor w, HostTensor y0) {
        PrintStream out = System.out;
        List<Double> build = new ArrayList<>();
        List<Double> grads = new ArrayList<>();
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            SameDiff sd = SameDiff.create();
            SDVariable uv = sd.constant("u", array(u));
            SDVariable wv = sd.var("w", array(w));
            SDVariable y = sd.var("y0", array(y0));
            SDVariable[] steps = sd.unstack(sd.reshape(uv.mmul(wv), B, L - 1, H), 1, L - 1);
            List<SDVariable> ys = new ArrayList<>();
            ys.add(y);
            for (SDVariable c : steps) {
                y = y.add(sd.math.tanh(c.mul(y).div(CLIP)).mul(CLIP));
                ys.add(y);
            }
            SDVariable loss = sd.math.tanh(sd.stack(1, ys.toArray(new SDVariable[0]))).sum();
            loss.rename("loss");
            sd.setLossVariables("loss");
            long t1 = System.nanoTime();
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));   // SameDiff prints a line per op
            try {
                Map<String, INDArray> g = sd.calculateGradients(null, "w", "y0");
                if (g.get("w") == null) {
                    throw new IllegalStateException("no gradient");
                }
            } finally {
                System.setOut(out);
            }
            long t2 = System.nanoTime();
            build.add((t1 - t0) / 1e6);
            grads.add((t2 - t1) / 1e6);
        }
        System.out.printf("SameDiff: graph build %s ms, calculateGradients %s ms (5 fresh graphs)%n", build, grads);
    }

    private static INDArray array(HostTensor t) {
        return Nd4j.create(t.data(), Arrays.stream(t.shape()).asLongStream().toArray(), DataType.FLOAT);
    }

    private static void tape(String label, Session s, HostTensor u, HostTensor w, HostTensor y0) {
        StructuredVectorField field = StructureRegistry.discover().configure(StructureSpec.of("diagonal"), H, H + 1);
        LinearCdeLayer layer = new LinearCdeLayer(field, H, DT, CLIP);
        Session.OpsFunction f = new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                T coef = ops.reshape(ops.matmul(p.get("u"), p.get("w")), B, L - 1, H);
                T states = ops.fusedRecurrence(field).isPresent()
                        ? ops.fusedRecurrence(field).get().states(p.get("y0"), coef, CLIP)
                        : layer.recurrentStates(ops, p, p.get("y0"), coef);
                return ops.sumAll(ops.tanh(states));
            }
        };
        Map<String, HostTensor> in = Map.of("u", u, "w", w, "y0", y0);
        List<Double> times = new ArrayList<>();
        for (int rep = 0; rep < 6; rep++) {
            long t0 = System.nanoTime();
            s.gradient(f, in);
            times.add((System.nanoTime() - t0) / 1e6);
        }
        System.out.printf("%s: forward + gradients %s ms (includes host copies of u, w, y0 and gradients)%n", label,
                times);
    }
}
