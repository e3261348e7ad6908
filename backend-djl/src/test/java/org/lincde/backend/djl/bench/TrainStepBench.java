package org.lincde.backend.djl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.lincde.backend.djl.DjlBackend;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
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

/**
 * Times whole R1 training steps (forward + backward + AdamW through {@link SequenceModel#trainStep})
 * at the regular-language size: B = 256, L = 40, model_dim = 128, 2 blocks, vocabulary 10. Prints
 * one JSON line per structure with the median seconds per step after warm-up.
 *
 * <pre>
 * java -cp … org.lincde.backend.djl.bench.TrainStepBench [steps=20] [warmup=5] [threads=2]
 *      [dtype=float32] [fused=true] [structures=D,BD4,DPLR4,WH,DE] [rssSteps=0]
 * </pre>
 * {@code rssSteps > 0} additionally runs that many steps of BD4 and reports VmRSS after 100 and
 * after all steps (the memory-growth check of the backend brief). {@code denseForms=fused,graph,…} runs
 * the structures' steps alternating between the dense recurrence's forms, step by step in one process
 * (an A/B under the same load; a form {@code X-engine} is {@code X} with {@code -Dlincde.djl.denseContract=engine}),
 * and prints one line per form with its median wall and CPU seconds per step.
 */
public final class TrainStepBench {
    private TrainStepBench() {}

    /** Entry point; arguments are {@code key=value}. */
    public static void main(String[] args) throws IOException {
        int steps = 20;
        int warmup = 5;
        int threads = 2;
        DType dtype = DType.FLOAT32;
        boolean fused = true;
        int rssSteps = 0;
        List<String> names = List.of("D", "BD4", "DPLR4", "WH", "DE");
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "steps": steps = Integer.parseInt(kv[1]); break;
                case "warmup": warmup = Integer.parseInt(kv[1]); break;
                case "threads": threads = Integer.parseInt(kv[1]); break;
                case "dtype": dtype = DType.parse(kv[1]); break;
                case "fused": fused = Boolean.parseBoolean(kv[1]); break;
                case "structures": names = Arrays.asList(kv[1].split(",")); break;
                case "rssSteps": rssSteps = Integer.parseInt(kv[1]); break;
                case "denseForms": forms = Arrays.asList(kv[1].split(",")); break;
                default: throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        SessionOptions opts = new SessionOptions(dtype, org.lincde.spi.Device.CPU, threads, fused, null);
        try (Session session = new DjlBackend().open(opts)) {
            for (String name : names) {
                if (!forms.isEmpty()) {
                    run(session, structure(name), warmup, steps, 0);
                    for (int f = 0; f < forms.size(); f++) {
                        System.out.printf(Locale.ROOT, "{\"structure\":\"%s\",\"form\":\"%s\",\"sec_per_step\":%.4f,"
                                + "\"cpu_sec_per_step\":%.4f,\"steps\":%d}%n", name, forms.get(f),
                                median(formWall.get(f)), median(formCpu.get(f)), formWall.get(f).size());
                    }
                    continue;
                }
                double[] times = run(session, structure(name), warmup, steps, 0);
                double[] sorted = times.clone();
                Arrays.sort(sorted);
                double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                        : 0.5 * (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]);
                System.out.printf(Locale.ROOT, "{\"structure\":\"%s\",\"sec_per_step\":%.4f,\"min\":%.4f,\"cpu_sec_per_step\":%.4f,"
                                + "\"backend\":\"djl\",\"dtype\":\"%s\",\"threads\":%d,\"fused\":%s,\"steps\":%d,"
                                + "\"peak_rss_mb\":%.0f}%n", name, median, sorted[0], lastCpuPerStep, dtype.label(),
                        threads, fused, steps, statusMb("VmHWM"));
            }
            if (rssSteps > 0) {
                run(session, structure("BD4"), 0, rssSteps, 100);
            }
        }
    }

    /** Dense recurrence forms to alternate (empty: the default form only), and their per-step times. */
    static List<String> forms = List.of();
    static final List<List<Double>> formWall = new ArrayList<>();
    static final List<List<Double>> formCpu = new ArrayList<>();

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length == 0 ? Double.NaN : a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
    }

    /** Sets the dense recurrence's form for the next step ({@link #forms}). */
    static void selectForm(String form) {
        System.setProperty("lincde.djl.denseRecurrence", form.startsWith("graph") ? "graph" : "fused");
        System.setProperty("lincde.djl.denseContract", form.endsWith("-engine") ? "engine" : "java");
    }

    /** R1 structure by the paper's short name. */
    static StructureSpec structure(String name) {
        switch (name) {
            case "D": return StructureSpec.of("diagonal");
            case "BD4": return StructureSpec.of("block-diagonal", "block_size", "4");
            case "DPLR4": return StructureSpec.of("dplr", "rank", "4");
            case "WH": return StructureSpec.of("walsh-hadamard");
            case "DE": return StructureSpec.of("dense");
            case "S": return StructureSpec.of("sparse");
            case "DDE16": return StructureSpec.of("diagonal-dense", "block_size", "16");
            default: throw new IllegalArgumentException("unknown structure " + name);
        }
    }

    /** Runs warm-up then timed steps; returns seconds per timed step. */
    static double[] run(Session session, StructureSpec s, int warmup, int steps, int rssAt) {
        LinearCdeSpec spec = LinearCdeSpec.r1(10, 2, 128, 2, s);
        StructureRegistry reg = StructureRegistry.discover();
        Rng rng = Rng.seeded(1234);
        ParameterSet init = Models.initialize(spec, reg, rng);
        Objective obj = Objective.maskedCrossEntropy(0.01);
        OptimizerSpec.AdamW adam = OptimizerSpec.AdamW.r1();
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batches.add(regularLanguageBatch(rng.stream("data", i), 256, 40, 10, 2));
        }
        double[] t = new double[steps];
        double rss100 = 0;
        double cpu0 = 0;
        try (SequenceModel m = session.model(spec, init)) {
            formWall.clear();
            formCpu.clear();
            for (int f = 0; f < forms.size(); f++) {
                formWall.add(new ArrayList<>());
                formCpu.add(new ArrayList<>());
            }
            for (int i = 0; i < warmup + steps; i++) {
                ForwardMode mode = ForwardMode.training(rng.stream("dropout", i));
                int form = forms.isEmpty() ? -1 : i % forms.size();
                if (form >= 0) {
                    selectForm(forms.get(form));
                }
                double c0 = form >= 0 ? cpuSeconds() : 0;
                long t0 = System.nanoTime();
                m.trainStep(List.of(batches.get(i % batches.size())), obj, adam, 1e-3, mode);
                long t1 = System.nanoTime();
                if (form >= 0 && i >= warmup) {
                    formWall.get(form).add((t1 - t0) * 1e-9);
                    formCpu.get(form).add(cpuSeconds() - c0);
                }
                if (System.getProperty("bench.trace") != null) {
                    System.err.printf(Locale.ROOT, "step %d %.4f%n", i, (t1 - t0) * 1e-9);
                }
                if (i >= warmup) {
                    t[i - warmup] = (t1 - t0) * 1e-9;
                }
                if (i + 1 == warmup) {
                    cpu0 = cpuSeconds();
                }
                if (rssAt > 0 && i + 1 == rssAt) {
                    rss100 = statusMb("VmRSS");
                }
                if (rssAt > 0 && (i + 1) % rssAt == 0) {
                    System.out.printf(Locale.ROOT, "{\"rss_after_steps\":%d,\"rss_mb\":%.1f}%n", i + 1,
                            statusMb("VmRSS"));
                }
            }
        }
        lastCpuPerStep = steps > 0 ? (cpuSeconds() - cpu0) / steps : 0;
        if (rssAt > 0) {
            double end = statusMb("VmRSS");
            System.out.printf(Locale.ROOT, "{\"rss_check\":\"%s\",\"steps\":%d,\"rss_mb_after_%d\":%.1f,"
                    + "\"rss_mb_after_all\":%.1f,\"growth_pct\":%.2f}%n", s, warmup + steps, rssAt, rss100, end,
                    100.0 * (end - rss100) / rss100);
        }
        return t;
    }

    /** Token ids in [0, vocab), one scored position (the last), labels in [0, labels). */
    static Batch regularLanguageBatch(Rng rng, int b, int len, int vocab, int labels) {
        int[] ids = new int[b * len];
        int[] targets = new int[b * len];
        boolean[] mask = new boolean[b * len];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rng.nextInt(vocab);
        }
        for (int r = 0; r < b; r++) {
            mask[r * len + len - 1] = true;
            targets[r * len + len - 1] = rng.nextInt(labels);
        }
        return Batch.of(new Batch.TokenInputs(b, len, ids), new Batch.TokenTargets(targets, mask));
    }

    /** Process CPU seconds (user + system, all threads) per timed step of the last {@link #run}. */
    static double lastCpuPerStep;

    /** User + system CPU seconds of this process so far, from {@code /proc/self/stat}. */
    static double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** A {@code /proc/self/status} field in MiB (0 where unavailable). */
    static double statusMb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
