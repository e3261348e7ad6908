package org.lincde.backend.reference.baseline;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.spi.Batch;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;

/**
 * The reference backend's gradients of every parameter of every baseline against fourth-order central finite
 * differences in float64 (relative error ≤ 1e-6), in training mode (fixed dropout masks) with recurrent and scan evaluation.
 */
class BaselineGradientTest {

    static List<BaselineFixtures.Case> cases() {
        return BaselineFixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchCentralDifferences(BaselineFixtures.Case c) {
        try (Session s = BaselineFixtures.session();
             SequenceModel m = s.model(c.spec(), BaselineFixtures.init(c.spec(), 3))) {
            Batch batch = BaselineFixtures.batch(c, Rng.seeded(21), 2, 4);
            BaselineFixtures.assertGradientsMatchFiniteDifferences(m, batch, c.name());
        }
    }
}
