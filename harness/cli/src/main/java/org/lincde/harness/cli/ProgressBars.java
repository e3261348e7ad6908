package org.lincde.harness.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.harness.train.TrainingListener;

/**
 * Progress bars for training runs (me.tongfei:progressbar): step, smoothed loss, last validation
 * accuracy and ETA. On a terminal the bar redraws in place; otherwise (CI logs, pipes) one line every
 * 15 seconds.
 */
final class ProgressBars implements RunContext.ProgressFactory {
    private final PrintStream err;
    private final boolean quiet;

    ProgressBars(PrintStream err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    @Override
    public TrainingListener open(String label, long steps) {
        if (quiet) {
            return TrainingListener.NONE;
        }
        boolean tty = System.console() != null;
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(label).setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).showSpeed().setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
                .setUnit(" steps", 1);
        if (tty) {
            b.setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(250);
        } else {
            b.setConsumer(new DelegatingProgressBarConsumer(err::println, 220)).setUpdateIntervalMillis(15_000);
        }
        ProgressBar bar = b.build();
        return new TrainingListener() {
            double ema = Double.NaN;
            String val = "-";

            @Override
            public void step(long step, double loss) {
                ema = Double.isNaN(ema) ? loss : 0.98 * ema + 0.02 * loss;
                bar.stepTo(step + 1);
                bar.setExtraMessage(String.format(" loss %.4f  val %s", ema, val));
            }

            @Override
            public void evaluated(EvaluationPoint p) {
                val = String.format("%.2f%%", 100 * p.valAccuracy());
                bar.setExtraMessage(String.format(" loss %.4f  val %s", ema, val));
            }

            @Override
            public void finished() {
                bar.close();
            }
        };
    }
}
