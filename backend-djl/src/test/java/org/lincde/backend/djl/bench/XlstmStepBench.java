package org.lincde.backend.djl.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.lincde.backend.djl.DjlBackend;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.XlstmSpec;
import org.lincde.spi.model.Models;

/**
 * An A/B of the xLSTM family's training step at R1's regular-language size (B 256, L 40, width 128, 2 blocks,
 * vocabulary 10, context 256): per model, the steps alternate between system-property settings in one process,
 * so both sides see the same machine load, and one JSON line per model and setting gives the median wall and CPU
 * seconds per step.
 *
 * <pre>
 * java -cp … org.lincde.backend.djl.bench.XlstmStepBench [steps=12] [warmup=3] [threads=2]
 *      [models=mlstm,slstm,xlstm] [ab=lincde.djl.fusedCausalConv=never|lincde.djl.fusedCausalConv=]
 * </pre>
 * {@code ab} lists the settings separated by {@code |}, each {@code key=value[,key=value]} (an empty value clears
 * the property).
 */
public final class XlstmStepBench {
    private XlstmStepBench() {}

    /** Entry point; arguments are {@code key=value}. */
    public static void main(String[] args) {
        int steps = 12;
        int warmup = 3;
        int threads = 2;
        List<String> models = List.of("mlstm", "slstm", "xlstm");
        List<String> ab = List.of("lincde.djl.fusedCausalConv=never", "lincde.djl.fusedCausalConv=");
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "steps": steps = Integer.parseInt(kv[1]); break;
                case "warmup": warmup = Integer.parseInt(kv[1]); break;
                case "threads": threads = Integer.parseInt(kv[1]); break;
                case "models": models = Arrays.asList(kv[1].split(",")); break;
                case "ab": ab = Arrays.asList(kv[1].split("\\|")); break;
                default: throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        SessionOptions opts = new SessionOptions(DType.FLOAT32, org.lincde.spi.Device.CPU, threads, true, null);
        try (Session session = new DjlBackend().open(opts)) {
            for (String model : models) {
                List<Integer> at = switch (model) {
                    case "mlstm" -> List.of();
                    case "slstm" -> List.of(0, 1);
                    case "xlstm" -> List.of(1);
                    default -> throw new IllegalArgumentException("unknown model " + model);
                };
                XlstmSpec spec = XlstmSpec.r1(SequenceIo.tokens(10, 2), 128, 2, at, 256, 0.01);
                Rng rng = Rng.seeded(1234);
                ParameterSet init = Models.initialize(spec, StructureRegistry.discover(), rng);
                List<Batch> batches = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    batches.add(TrainStepBench.regularLanguageBatch(rng.stream("data", i), 256, 40, 10, 2));
                }
                List<List<Double>> wall = new ArrayList<>();
                List<List<Double>> cpu = new ArrayList<>();
                for (int f = 0; f < ab.size(); f++) {
                    wall.add(new ArrayList<>());
                    cpu.add(new ArrayList<>());
                }
                try (SequenceModel m = session.model(spec, init)) {
                    for (int i = 0; i < (warmup + steps) * ab.size(); i++) {
                        int f = i % ab.size();
                        select(ab.get(f));
                        double c0 = TrainStepBench.cpuSeconds();
                        long t0 = System.nanoTime();
                        m.trainStep(List.of(batches.get((i / ab.size()) % batches.size())),
                                Objective.maskedCrossEntropy(0.01), OptimizerSpec.AdamW.r1(), 2e-3,
                                ForwardMode.training(rng.stream("dropout", i)));
                        long t1 = System.nanoTime();
                        if (i / ab.size() >= warmup) {
                            wall.get(f).add((t1 - t0) * 1e-9);
                            cpu.get(f).add(TrainStepBench.cpuSeconds() - c0);
                        }
                    }
                }
                for (int f = 0; f < ab.size(); f++) {
                    System.out.printf(Locale.ROOT, "{\"model\":\"%s\",\"setting\":\"%s\",\"sec_per_step\":%.4f,"
                                    + "\"cpu_sec_per_step\":%.4f,\"min\":%.4f,\"threads\":%d,\"steps\":%d,\"load\":\"%s\"}%n",
                            model, ab.get(f), TrainStepBench.median(wall.get(f)), TrainStepBench.median(cpu.get(f)),
                            wall.get(f).stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), threads,
                            wall.get(f).size(), load());
                }
            }
        }
    }

    private static void select(String setting) {
        for (String kv : setting.split(",")) {
            String[] p = kv.split("=", 2);
            if (p.length < 2 || p[1].isEmpty()) {
                System.clearProperty(p[0]);
            } else {
                System.setProperty(p[0], p[1]);
            }
        }
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
