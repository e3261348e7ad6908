package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lincde.spi.DType;
import org.lincde.spi.DenseRecurrenceKernel;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;
import org.lincde.spi.testing.SharedFixtures;
import org.lincde.spi.model.LinearCdeLayer;

/**
 * The reordered-sum dense recurrence, both forms (the fused kernel {@code DenseFusedRecurrence}, the default
 * on the CPU, and the op graph {@code DenseRecurrence}: {@code s_i = (y ⊗ u_i)·Wᵣᵀ}, never the
 * {@code B·(L−1)·h²} coefficients) against the generic per-step loop on the materialised coefficients
 * {@code u·Wᵀ}, forward and every input gradient, in float64: from control increments, and from a
 * coefficient table both ways (one GEMM over the table's rows, and the per-step gather above
 * {@code MAX_TABLE_ROWS} rows).
 */
class DenseRecurrenceTest {
    private static final StructureRegistry REGISTRY = StructureRegistry.discover();

    @ParameterizedTest(name = "{0} clip={1} form={2} chunk={3} {4}")
    @CsvSource({"dense,0.3,fused,0,FLOAT64", "dense,1e11,fused,0,FLOAT64", "dense,Infinity,fused,0,FLOAT64",
                "sparse,0.3,fused,0,FLOAT64", "dense,0.3,fused,1,FLOAT64", "dense,0.3,fused,3,FLOAT64",
                "dense,0.3,fused,3,FLOAT32", "dense,Infinity,fused,0,FLOAT32",
                "dense,0.3,graph,0,FLOAT64", "dense,Infinity,graph,0,FLOAT64",
                "dense,0.3,fused-engine,0,FLOAT64", "dense,0.3,fused-engine,0,FLOAT32"})
    void fromControlsEqualsTheCoefficientLoop(String id, double clip, String form, int chunkSteps, DType dtype) {
        int h = 6;
        int d1 = 4;
        int b = 3;
        int len = 6;
        // chunkSteps > 0: the fused form's weight-gradient chunks hold that many steps (5 steps: a partial last one)
        // fused-engine: the fused form with the backward's contractions as libtorch batched products
        String before = System.setProperty("lincde.djl.denseRecurrence", form.startsWith("fused") ? "fused" : form);
        String contractBefore = System.setProperty("lincde.djl.denseContract", form.endsWith("engine") ? "engine" : "java");
        String chunkBefore = chunkSteps > 0 ? System.setProperty("lincde.djl.denseChunkBytes",
                Long.toString((long) chunkSteps * b * h * d1 * (dtype == DType.FLOAT64 ? 8 : 4))) : null;
        try {
            fromControls(id, clip, h, d1, b, len, dtype);
        } finally {
            restore("lincde.djl.denseRecurrence", before);
            restore("lincde.djl.denseContract", contractBefore);
            if (chunkSteps > 0) {
                restore("lincde.djl.denseChunkBytes", chunkBefore);
            }
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static void fromControls(String id, double clip, int h, int d1, int b, int len, DType dtype) {
        StructuredVectorField f = REGISTRY.configure(StructureSpec.of(id), h, d1);
        LinearCdeLayer layer = new LinearCdeLayer(f, d1 - 1, 0.1, clip);
        Rng rng = Rng.seeded(3);
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("y0", SharedFixtures.normal(rng.stream("y0"), 1.0, b, h));
        in.put("u", SharedFixtures.normal(rng.stream("u"), 0.5, b, len - 1, d1));
        f.initialize(rng.stream("p"), 0.8).asMap().forEach(in::put);
        double[] w = SharedFixtures.normal(rng.stream("w"), 1.0, b, len, h).data();
        Session.OpsFunction fn = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                Optional<DenseRecurrenceKernel<T>> k = ops.fusedDenseRecurrence(f);
                T y0 = p.get("y0");
                T u = p.get("u");
                T states;
                if (k.isPresent()) {
                    states = k.get().states(y0, u, f.denseWeight(ops, p).orElseThrow(), clip);
                } else {
                    T coef = ops.reshape(f.coefficients(ops, p, ops.reshape(u, b * (len - 1), d1)), b, len - 1, h * h);
                    states = layer.recurrentStates(ops, p, y0, coef);
                }
                return ops.mul(states, ops.constant(w, b, len, h));
            }
        };
        compare(fn, in, List.of("y0", "u", "vf_A.weight"), dtype);
    }

    @ParameterizedTest(name = "V={0}")
    @CsvSource({"5", "40"})
    void fromATableEqualsTheGatheredCoefficientLoop(int vocab) {
        int h = 4;
        int b = 3;
        int len = 6;
        double clip = 0.3;
        StructuredVectorField f = REGISTRY.configure(StructureSpec.of("dense"), h, 3);
        LinearCdeLayer layer = new LinearCdeLayer(f, 2, 0.1, clip);
        Rng rng = Rng.seeded(4);
        int[] ids = new int[b * (len - 1)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rng.nextInt(vocab);
        }
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("y0", SharedFixtures.normal(rng.stream("y0"), 1.0, b, h));
        in.put("table", SharedFixtures.normal(rng.stream("t"), 0.4, vocab, h * h));
        double[] w = SharedFixtures.normal(rng.stream("w"), 1.0, b, len, h).data();
        Session.OpsFunction fn = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                Optional<DenseRecurrenceKernel<T>> k = ops.fusedDenseRecurrence(f);
                T states = k.isPresent() ? k.get().statesFromTable(p.get("y0"), p.get("table"), ids, clip)
                        : layer.recurrentStates(ops, p, p.get("y0"), ops.embedding(p.get("table"), ids, b, len - 1));
                return ops.mul(states, ops.constant(w, b, len, h));
            }
        };
        compare(fn, in, List.of("y0", "table"), DType.FLOAT64);
    }

    /** Float64 to 1e-12; float32 to 1e-5 (the fused form and the graph round the same sums in another order). */
    private static void compare(Session.OpsFunction fn, Map<String, HostTensor> in, List<String> grads, DType dtype) {
        double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
        try (Session fused = DjlFixtures.session(dtype, true);
             Session generic = DjlFixtures.session(dtype, false)) {
            DjlFixtures.assertAgree(fused.gradient(fn, in), generic.gradient(fn, in), grads, tol, tol);
        }
    }
}
