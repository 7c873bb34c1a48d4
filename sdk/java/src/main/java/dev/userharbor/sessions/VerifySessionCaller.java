package dev.userharbor.sessions;

import dev.userharbor.v1.VerifySessionRequest;
import dev.userharbor.v1.VerifySessionResponse;

/**
 * What {@link SessionVerifier#check} calls: VerifySession, e.g. {@code stub::verifySession} of
 * a generated {@code AccountServiceBlockingStub}, or a lambda that adds a deadline, the API key
 * or a counter ({@code req -> stub.withDeadlineAfter(2, SECONDS).verifySession(req)}).
 */
@FunctionalInterface
public interface VerifySessionCaller {
  VerifySessionResponse verifySession(VerifySessionRequest request);
}
