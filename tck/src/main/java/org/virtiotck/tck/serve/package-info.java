/**
 * {@code virtio-tck serve}: an in-process target (the reference device first) as a qtest endpoint over a Unix
 * socket, loopback TCP or stdio, optionally completing requests asynchronously. It is the test bed for the
 * fuzzer's precision on a correct device behind a wire ({@code qtest:exec:}, {@code qtest:unix:}), and lets other
 * projects drive the reference device from any language. See {@link org.virtiotck.tck.serve.ServeCommand} and
 * {@link org.virtiotck.tck.serve.QtestSession} (the protocol subset and the asynchronous-completion model).
 */
package org.virtiotck.tck.serve;
