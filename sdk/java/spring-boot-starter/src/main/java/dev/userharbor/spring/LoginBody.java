package dev.userharbor.spring;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** {@code {"username": ..., "password": ...}} from a login request; anything else is 400 INVALID_REQUEST. */
final class LoginBody {
  /** The largest body read: a username or email and a password fit many times over. */
  static final int MAX_BYTES = 8 * 1024;

  private static final Pattern JSON_TYPE = Pattern.compile("^application/([\\w.+-]+\\+)?json\\s*(;.*)?$", Pattern.CASE_INSENSITIVE);

  record Credentials(String username, String password) {}

  private LoginBody() {}

  /** @throws UserHarborProblem 400 INVALID_REQUEST, naming the fields when it is about them */
  static Credentials read(HttpServletRequest request) throws IOException {
    String type = request.getContentType();
    if (type == null || !JSON_TYPE.matcher(type).matches()) {
      throw UserHarborProblem.invalidRequest("Send JSON (Content-Type: application/json).", List.of());
    }
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(MAX_BYTES + 1);
    }
    if (body.length > MAX_BYTES) {
      throw UserHarborProblem.invalidRequest("The body is larger than 8 KiB.", List.of());
    }
    JsonNode value;
    try {
      value = UserHarborProblem.JSON.readTree(body);
    } catch (JacksonException e) {
      throw UserHarborProblem.invalidRequest("The body is not valid JSON.", List.of());
    }
    if (value == null || !value.isObject()) {
      throw UserHarborProblem.invalidRequest("Send a JSON object {\"username\": ..., \"password\": ...}.", List.of());
    }
    List<UserHarborProblem.FieldError> errors = new ArrayList<>();
    String username = nonEmptyString(value.get("username"));
    String password = nonEmptyString(value.get("password"));
    if (username == null) {
      errors.add(new UserHarborProblem.FieldError("username", "a non-empty string is required"));
    }
    if (password == null) {
      errors.add(new UserHarborProblem.FieldError("password", "a non-empty string is required"));
    }
    if (!errors.isEmpty()) {
      throw UserHarborProblem.invalidRequest("Username and password are required.", errors);
    }
    return new Credentials(username, password);
  }

  private static String nonEmptyString(JsonNode node) {
    return node != null && node.isString() && !node.stringValue().isEmpty() ? node.stringValue() : null;
  }
}
