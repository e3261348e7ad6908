package org.lincde.harness.data.formal;

/** A formal-language task's R1 name and vocabulary size, held once for every built-in task. */
abstract class NamedTask implements FormalLanguageTask {
    private final String name;
    private final int vocabSize;

    NamedTask(String name, int vocabSize) {
        this.name = name;
        this.vocabSize = vocabSize;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int vocabSize() {
        return vocabSize;
    }
}
