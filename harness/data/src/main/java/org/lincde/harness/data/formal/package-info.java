/**
 * R1's formal-language tasks (SPEC §3.2): one {@link org.lincde.harness.data.formal.FormalLanguageTask}
 * per task, found by name in {@link org.lincde.harness.data.formal.FormalLanguageTasks}; each has a
 * {@code preprocess} entry point from symbolic examples like R1's {@code preprocess_data}. Streams of
 * examples: {@link org.lincde.harness.data.formal.FormalLanguageDataset}; the length-generalisation
 * protocol: {@link org.lincde.harness.data.formal.FormalLanguageTokenTask}.
 */
package org.lincde.harness.data.formal;
