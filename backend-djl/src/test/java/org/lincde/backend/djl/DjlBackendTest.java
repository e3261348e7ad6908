package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lincde.spi.BackendCapabilities;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.BackendUnavailableException;
import org.lincde.spi.DType;
import org.lincde.spi.Device;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;

/** Discovery, capabilities, device handling and provenance of {@link DjlBackend}. */
class DjlBackendTest {
    @Test
    void isFoundByServiceLoader() {
        assertThat(BackendRegistry.discover().get("djl")).isInstanceOf(DjlBackend.class);
    }

    @Test
    void declaresWhatItDoes() {
        DjlBackend b = new DjlBackend();
        assertThat(b.id()).isEqualTo("djl");
        assertThat(b.rank()).isEqualTo(10);
        BackendCapabilities c = b.capabilities();
        assertThat(c.dtypes()).containsExactlyInAnyOrder(DType.FLOAT32, DType.FLOAT64);
        assertThat(c.devices()).containsExactly(Device.CPU); // this build carries the CPU native jar
        assertThat(c.fusedKernels()).isTrue();
    }

    @Test
    void aGpuThatIsNotThereIsAClearError() {
        SessionOptions gpu = new SessionOptions(DType.FLOAT32, Device.GPU, 1, true, null);
        assertThatThrownBy(() -> new DjlBackend().open(gpu).close())
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("backend 'djl'").hasMessageContaining("GPU")
                .hasMessageContaining("PYTORCH_LIBRARY_PATH");
    }

    @Test
    void provenanceReportsWhatTheEngineRuns() {
        try (Session s = DjlFixtures.session(DType.FLOAT64, true)) {
            Map<String, String> p = s.provenance();
            assertThat(p).containsEntry("backend", "djl").containsEntry("engine", "PyTorch")
                    .containsEntry("libtorch.version", "2.7.1").containsEntry("djl.version", "0.35.1")
                    .containsEntry("dtype", "float64").containsEntry("threads.intra_op", "1")
                    .containsEntry("djl.offline", "true");
            assertThat(p.get("device")).startsWith("cpu");
        }
    }

    @Test
    void closedSessionsRefuseWork() {
        Session s = DjlFixtures.session(DType.FLOAT32, true);
        s.close();
        s.close(); // idempotent
        assertThatThrownBy(() -> s.gradient(null, Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
