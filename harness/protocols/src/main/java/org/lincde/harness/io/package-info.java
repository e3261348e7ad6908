/**
 * Files lincde reads and writes outside its records: safetensors weight files in the authors' state-dict
 * names ({@link org.lincde.harness.io.Safetensors}) and atomic writes ({@link org.lincde.harness.io.AtomicFiles}:
 * a temporary file moved into place, so a killed process never leaves half a file).
 */
package org.lincde.harness.io;
