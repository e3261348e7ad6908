package org.lincde.backend.nd4j;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.Device;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.model.Models;
import org.lincde.spi.testing.SharedFixtures;

/**
 * Manual measurement (not a unit test): seconds per R1 training step (forward + backward + AdamW),
 * B = 256, L = 40, model_dim 128, 2 blocks, vocab 10, float32, median of timed steps after warm-up.
 * Run from the repository root after {@code mvn -o -pl backend-nd4j -am package -DskipTests}:
 * <pre>
 *   java -cp backend-nd4j/target/test-classes:backend-nd4j/target/classes:$(cat cp.txt) \
 *       org.lincde.backend.nd4j.Nd4jR1StepBenchmark [threads] [warmup] [timed] [fused] [ids...]
 * </pre>
 * where {@code cp.txt} comes from {@code mvn -o -pl backend-nd4j -am dependency:build-classpath
 * -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test}. Ids: D, BD4, DPLR4, WH, DE, S, DDE.
 */
public final class Nd4jR1StepBenchmark {
    private Nd4jR1StepBenchmark() {}

    static StructureSpec structure(String id) {
        switch (id) {
            case "D": return StructureSpec.of("diagonal");
            case "BD4": return StructureSpec.of("block-diagonal", "block_size", "4");
            case "DPLR4": return StructureSpec.of("dplr", "rank", "4");
            case "WH": return StructureSpec.of("walsh-hadamard");
            case "DE": return StructureSpec.of("dense");
            case "S": return StructureSpec.of("sparse");
            case "DDE": return StructureSpec.of("diagonal-dense", "block_size", "16");
            default: throw new IllegalArgumentException("unknown structure " + id + " (D, BD4, DPLR4, WH, DE, S, DDE)");
        }
    }

    /** Random tokens; R1's regular-language tasks score the last position only. */
    static Batch batch(Rng rng, int b, int len, int vocab, int labels) {
        return SharedFixtures.tokenBatch(rng, b, len, vocab, labels, (i, r) -> i % len == len - 1);
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int timed = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        boolean fused = args.length <= 3 || Boolean.parseBoolean(args[3]);
        List<String> ids = args.length > 4 ? Arrays.asList(args).subList(4, args.length)
                : List.of("D", "BD4", "DPLR4", "WH", "DE");
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Session session = new Nd4jBackend().open(new SessionOptions(DType.FLOAT32, Device.CPU, threads, fused, null))) {
            System.out.println("provenance " + session.provenance());
            for (String id : ids) {
                LinearCdeSpec spec = LinearCdeSpec.r1(10, 10, 128, 2, structure(id));
                ParameterSet params = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(1));
                Rng rng = Rng.seeded(2);
                try (SequenceModel model = session.model(spec, params)) {
                    List<Double> wall = new ArrayList<>();
                    List<Double> cpu = new ArrayList<>();
                    for (int step = 0; step < warmup + timed; step++) {
                        Batch b = batch(rng.stream("batch", step), 256, 40, 10, 10);
                        long t0 = System.nanoTime();
                        long c0 = os.getProcessCpuTime();
                        SequenceModel.StepReport r = model.trainStep(List.of(b), Objective.maskedCrossEntropy(0.001),
                                OptimizerSpec.AdamW.r1(), 1e-3, ForwardMode.training(rng.stream("dropout", step)));
                        double s = (System.nanoTime() - t0) / 1e9;
                        double c = (os.getProcessCpuTime() - c0) / 1e9;
                        if (!r.finite()) {
                            throw new IllegalStateException(id + ": non-finite step " + step);
                        }
                        if (step >= warmup) {
                            wall.add(s);
                            cpu.add(c);
                        }
                    }
                    System.out.printf("%-6s fused=%s threads=%d  median %.3f s/step (min %.3f, max %.3f), median process cpu %.3f s, load %.1f%n",
                            id, fused, threads, median(wall), wall.stream().mapToDouble(d -> d).min().orElse(0),
                            wall.stream().mapToDouble(d -> d).max().orElse(0), median(cpu), os.getSystemLoadAverage());
                }
            }
        }
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(d -> d).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
