package dev.userharbor.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * AccountService: registration, email verification, login, sessions, logout,
 * password change and reset, email change, and account deletion.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class AccountServiceGrpc {

  private AccountServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "userharbor.v1.AccountService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.RegisterRequest,
      dev.userharbor.v1.RegisterResponse> getRegisterMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Register",
      requestType = dev.userharbor.v1.RegisterRequest.class,
      responseType = dev.userharbor.v1.RegisterResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.RegisterRequest,
      dev.userharbor.v1.RegisterResponse> getRegisterMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.RegisterRequest, dev.userharbor.v1.RegisterResponse> getRegisterMethod;
    if ((getRegisterMethod = AccountServiceGrpc.getRegisterMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getRegisterMethod = AccountServiceGrpc.getRegisterMethod) == null) {
          AccountServiceGrpc.getRegisterMethod = getRegisterMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.RegisterRequest, dev.userharbor.v1.RegisterResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Register"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.RegisterRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.RegisterResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("Register"))
              .build();
        }
      }
    }
    return getRegisterMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.VerifyEmailRequest,
      dev.userharbor.v1.VerifyEmailResponse> getVerifyEmailMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "VerifyEmail",
      requestType = dev.userharbor.v1.VerifyEmailRequest.class,
      responseType = dev.userharbor.v1.VerifyEmailResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.VerifyEmailRequest,
      dev.userharbor.v1.VerifyEmailResponse> getVerifyEmailMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.VerifyEmailRequest, dev.userharbor.v1.VerifyEmailResponse> getVerifyEmailMethod;
    if ((getVerifyEmailMethod = AccountServiceGrpc.getVerifyEmailMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getVerifyEmailMethod = AccountServiceGrpc.getVerifyEmailMethod) == null) {
          AccountServiceGrpc.getVerifyEmailMethod = getVerifyEmailMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.VerifyEmailRequest, dev.userharbor.v1.VerifyEmailResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "VerifyEmail"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.VerifyEmailRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.VerifyEmailResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("VerifyEmail"))
              .build();
        }
      }
    }
    return getVerifyEmailMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.ResendVerificationRequest,
      dev.userharbor.v1.ResendVerificationResponse> getResendVerificationMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ResendVerification",
      requestType = dev.userharbor.v1.ResendVerificationRequest.class,
      responseType = dev.userharbor.v1.ResendVerificationResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.ResendVerificationRequest,
      dev.userharbor.v1.ResendVerificationResponse> getResendVerificationMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.ResendVerificationRequest, dev.userharbor.v1.ResendVerificationResponse> getResendVerificationMethod;
    if ((getResendVerificationMethod = AccountServiceGrpc.getResendVerificationMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getResendVerificationMethod = AccountServiceGrpc.getResendVerificationMethod) == null) {
          AccountServiceGrpc.getResendVerificationMethod = getResendVerificationMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.ResendVerificationRequest, dev.userharbor.v1.ResendVerificationResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ResendVerification"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ResendVerificationRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ResendVerificationResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("ResendVerification"))
              .build();
        }
      }
    }
    return getResendVerificationMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.LoginRequest,
      dev.userharbor.v1.LoginResponse> getLoginMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Login",
      requestType = dev.userharbor.v1.LoginRequest.class,
      responseType = dev.userharbor.v1.LoginResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.LoginRequest,
      dev.userharbor.v1.LoginResponse> getLoginMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.LoginRequest, dev.userharbor.v1.LoginResponse> getLoginMethod;
    if ((getLoginMethod = AccountServiceGrpc.getLoginMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getLoginMethod = AccountServiceGrpc.getLoginMethod) == null) {
          AccountServiceGrpc.getLoginMethod = getLoginMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.LoginRequest, dev.userharbor.v1.LoginResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Login"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.LoginRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.LoginResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("Login"))
              .build();
        }
      }
    }
    return getLoginMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.VerifySessionRequest,
      dev.userharbor.v1.VerifySessionResponse> getVerifySessionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "VerifySession",
      requestType = dev.userharbor.v1.VerifySessionRequest.class,
      responseType = dev.userharbor.v1.VerifySessionResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.VerifySessionRequest,
      dev.userharbor.v1.VerifySessionResponse> getVerifySessionMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.VerifySessionRequest, dev.userharbor.v1.VerifySessionResponse> getVerifySessionMethod;
    if ((getVerifySessionMethod = AccountServiceGrpc.getVerifySessionMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getVerifySessionMethod = AccountServiceGrpc.getVerifySessionMethod) == null) {
          AccountServiceGrpc.getVerifySessionMethod = getVerifySessionMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.VerifySessionRequest, dev.userharbor.v1.VerifySessionResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "VerifySession"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.VerifySessionRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.VerifySessionResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("VerifySession"))
              .build();
        }
      }
    }
    return getVerifySessionMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.GetSessionKeysRequest,
      dev.userharbor.v1.GetSessionKeysResponse> getGetSessionKeysMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetSessionKeys",
      requestType = dev.userharbor.v1.GetSessionKeysRequest.class,
      responseType = dev.userharbor.v1.GetSessionKeysResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.GetSessionKeysRequest,
      dev.userharbor.v1.GetSessionKeysResponse> getGetSessionKeysMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.GetSessionKeysRequest, dev.userharbor.v1.GetSessionKeysResponse> getGetSessionKeysMethod;
    if ((getGetSessionKeysMethod = AccountServiceGrpc.getGetSessionKeysMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getGetSessionKeysMethod = AccountServiceGrpc.getGetSessionKeysMethod) == null) {
          AccountServiceGrpc.getGetSessionKeysMethod = getGetSessionKeysMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.GetSessionKeysRequest, dev.userharbor.v1.GetSessionKeysResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetSessionKeys"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.GetSessionKeysRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.GetSessionKeysResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("GetSessionKeys"))
              .build();
        }
      }
    }
    return getGetSessionKeysMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.GetCurrentUserRequest,
      dev.userharbor.v1.GetCurrentUserResponse> getGetCurrentUserMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetCurrentUser",
      requestType = dev.userharbor.v1.GetCurrentUserRequest.class,
      responseType = dev.userharbor.v1.GetCurrentUserResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.GetCurrentUserRequest,
      dev.userharbor.v1.GetCurrentUserResponse> getGetCurrentUserMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.GetCurrentUserRequest, dev.userharbor.v1.GetCurrentUserResponse> getGetCurrentUserMethod;
    if ((getGetCurrentUserMethod = AccountServiceGrpc.getGetCurrentUserMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getGetCurrentUserMethod = AccountServiceGrpc.getGetCurrentUserMethod) == null) {
          AccountServiceGrpc.getGetCurrentUserMethod = getGetCurrentUserMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.GetCurrentUserRequest, dev.userharbor.v1.GetCurrentUserResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetCurrentUser"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.GetCurrentUserRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.GetCurrentUserResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("GetCurrentUser"))
              .build();
        }
      }
    }
    return getGetCurrentUserMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.LogoutRequest,
      dev.userharbor.v1.LogoutResponse> getLogoutMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Logout",
      requestType = dev.userharbor.v1.LogoutRequest.class,
      responseType = dev.userharbor.v1.LogoutResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.LogoutRequest,
      dev.userharbor.v1.LogoutResponse> getLogoutMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.LogoutRequest, dev.userharbor.v1.LogoutResponse> getLogoutMethod;
    if ((getLogoutMethod = AccountServiceGrpc.getLogoutMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getLogoutMethod = AccountServiceGrpc.getLogoutMethod) == null) {
          AccountServiceGrpc.getLogoutMethod = getLogoutMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.LogoutRequest, dev.userharbor.v1.LogoutResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Logout"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.LogoutRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.LogoutResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("Logout"))
              .build();
        }
      }
    }
    return getLogoutMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.LogoutAllRequest,
      dev.userharbor.v1.LogoutAllResponse> getLogoutAllMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "LogoutAll",
      requestType = dev.userharbor.v1.LogoutAllRequest.class,
      responseType = dev.userharbor.v1.LogoutAllResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.LogoutAllRequest,
      dev.userharbor.v1.LogoutAllResponse> getLogoutAllMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.LogoutAllRequest, dev.userharbor.v1.LogoutAllResponse> getLogoutAllMethod;
    if ((getLogoutAllMethod = AccountServiceGrpc.getLogoutAllMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getLogoutAllMethod = AccountServiceGrpc.getLogoutAllMethod) == null) {
          AccountServiceGrpc.getLogoutAllMethod = getLogoutAllMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.LogoutAllRequest, dev.userharbor.v1.LogoutAllResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "LogoutAll"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.LogoutAllRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.LogoutAllResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("LogoutAll"))
              .build();
        }
      }
    }
    return getLogoutAllMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.ChangePasswordRequest,
      dev.userharbor.v1.ChangePasswordResponse> getChangePasswordMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ChangePassword",
      requestType = dev.userharbor.v1.ChangePasswordRequest.class,
      responseType = dev.userharbor.v1.ChangePasswordResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.ChangePasswordRequest,
      dev.userharbor.v1.ChangePasswordResponse> getChangePasswordMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.ChangePasswordRequest, dev.userharbor.v1.ChangePasswordResponse> getChangePasswordMethod;
    if ((getChangePasswordMethod = AccountServiceGrpc.getChangePasswordMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getChangePasswordMethod = AccountServiceGrpc.getChangePasswordMethod) == null) {
          AccountServiceGrpc.getChangePasswordMethod = getChangePasswordMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.ChangePasswordRequest, dev.userharbor.v1.ChangePasswordResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ChangePassword"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ChangePasswordRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ChangePasswordResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("ChangePassword"))
              .build();
        }
      }
    }
    return getChangePasswordMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.SendPasswordResetRequest,
      dev.userharbor.v1.SendPasswordResetResponse> getSendPasswordResetMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SendPasswordReset",
      requestType = dev.userharbor.v1.SendPasswordResetRequest.class,
      responseType = dev.userharbor.v1.SendPasswordResetResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.SendPasswordResetRequest,
      dev.userharbor.v1.SendPasswordResetResponse> getSendPasswordResetMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.SendPasswordResetRequest, dev.userharbor.v1.SendPasswordResetResponse> getSendPasswordResetMethod;
    if ((getSendPasswordResetMethod = AccountServiceGrpc.getSendPasswordResetMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getSendPasswordResetMethod = AccountServiceGrpc.getSendPasswordResetMethod) == null) {
          AccountServiceGrpc.getSendPasswordResetMethod = getSendPasswordResetMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.SendPasswordResetRequest, dev.userharbor.v1.SendPasswordResetResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SendPasswordReset"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.SendPasswordResetRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.SendPasswordResetResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("SendPasswordReset"))
              .build();
        }
      }
    }
    return getSendPasswordResetMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.ResetPasswordRequest,
      dev.userharbor.v1.ResetPasswordResponse> getResetPasswordMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ResetPassword",
      requestType = dev.userharbor.v1.ResetPasswordRequest.class,
      responseType = dev.userharbor.v1.ResetPasswordResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.ResetPasswordRequest,
      dev.userharbor.v1.ResetPasswordResponse> getResetPasswordMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.ResetPasswordRequest, dev.userharbor.v1.ResetPasswordResponse> getResetPasswordMethod;
    if ((getResetPasswordMethod = AccountServiceGrpc.getResetPasswordMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getResetPasswordMethod = AccountServiceGrpc.getResetPasswordMethod) == null) {
          AccountServiceGrpc.getResetPasswordMethod = getResetPasswordMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.ResetPasswordRequest, dev.userharbor.v1.ResetPasswordResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ResetPassword"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ResetPasswordRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ResetPasswordResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("ResetPassword"))
              .build();
        }
      }
    }
    return getResetPasswordMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.DeleteAccountRequest,
      dev.userharbor.v1.DeleteAccountResponse> getDeleteAccountMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteAccount",
      requestType = dev.userharbor.v1.DeleteAccountRequest.class,
      responseType = dev.userharbor.v1.DeleteAccountResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.DeleteAccountRequest,
      dev.userharbor.v1.DeleteAccountResponse> getDeleteAccountMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.DeleteAccountRequest, dev.userharbor.v1.DeleteAccountResponse> getDeleteAccountMethod;
    if ((getDeleteAccountMethod = AccountServiceGrpc.getDeleteAccountMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getDeleteAccountMethod = AccountServiceGrpc.getDeleteAccountMethod) == null) {
          AccountServiceGrpc.getDeleteAccountMethod = getDeleteAccountMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.DeleteAccountRequest, dev.userharbor.v1.DeleteAccountResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteAccount"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.DeleteAccountRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.DeleteAccountResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("DeleteAccount"))
              .build();
        }
      }
    }
    return getDeleteAccountMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.ListSessionsRequest,
      dev.userharbor.v1.ListSessionsResponse> getListSessionsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListSessions",
      requestType = dev.userharbor.v1.ListSessionsRequest.class,
      responseType = dev.userharbor.v1.ListSessionsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.ListSessionsRequest,
      dev.userharbor.v1.ListSessionsResponse> getListSessionsMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.ListSessionsRequest, dev.userharbor.v1.ListSessionsResponse> getListSessionsMethod;
    if ((getListSessionsMethod = AccountServiceGrpc.getListSessionsMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getListSessionsMethod = AccountServiceGrpc.getListSessionsMethod) == null) {
          AccountServiceGrpc.getListSessionsMethod = getListSessionsMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.ListSessionsRequest, dev.userharbor.v1.ListSessionsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListSessions"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ListSessionsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ListSessionsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("ListSessions"))
              .build();
        }
      }
    }
    return getListSessionsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.RevokeSessionRequest,
      dev.userharbor.v1.RevokeSessionResponse> getRevokeSessionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RevokeSession",
      requestType = dev.userharbor.v1.RevokeSessionRequest.class,
      responseType = dev.userharbor.v1.RevokeSessionResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.RevokeSessionRequest,
      dev.userharbor.v1.RevokeSessionResponse> getRevokeSessionMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.RevokeSessionRequest, dev.userharbor.v1.RevokeSessionResponse> getRevokeSessionMethod;
    if ((getRevokeSessionMethod = AccountServiceGrpc.getRevokeSessionMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getRevokeSessionMethod = AccountServiceGrpc.getRevokeSessionMethod) == null) {
          AccountServiceGrpc.getRevokeSessionMethod = getRevokeSessionMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.RevokeSessionRequest, dev.userharbor.v1.RevokeSessionResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RevokeSession"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.RevokeSessionRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.RevokeSessionResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("RevokeSession"))
              .build();
        }
      }
    }
    return getRevokeSessionMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.ChangeEmailRequest,
      dev.userharbor.v1.ChangeEmailResponse> getChangeEmailMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ChangeEmail",
      requestType = dev.userharbor.v1.ChangeEmailRequest.class,
      responseType = dev.userharbor.v1.ChangeEmailResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.ChangeEmailRequest,
      dev.userharbor.v1.ChangeEmailResponse> getChangeEmailMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.ChangeEmailRequest, dev.userharbor.v1.ChangeEmailResponse> getChangeEmailMethod;
    if ((getChangeEmailMethod = AccountServiceGrpc.getChangeEmailMethod) == null) {
      synchronized (AccountServiceGrpc.class) {
        if ((getChangeEmailMethod = AccountServiceGrpc.getChangeEmailMethod) == null) {
          AccountServiceGrpc.getChangeEmailMethod = getChangeEmailMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.ChangeEmailRequest, dev.userharbor.v1.ChangeEmailResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ChangeEmail"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ChangeEmailRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ChangeEmailResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AccountServiceMethodDescriptorSupplier("ChangeEmail"))
              .build();
        }
      }
    }
    return getChangeEmailMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static AccountServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AccountServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AccountServiceStub>() {
        @java.lang.Override
        public AccountServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AccountServiceStub(channel, callOptions);
        }
      };
    return AccountServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static AccountServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AccountServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AccountServiceBlockingV2Stub>() {
        @java.lang.Override
        public AccountServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AccountServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return AccountServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static AccountServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AccountServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AccountServiceBlockingStub>() {
        @java.lang.Override
        public AccountServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AccountServiceBlockingStub(channel, callOptions);
        }
      };
    return AccountServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static AccountServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AccountServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AccountServiceFutureStub>() {
        @java.lang.Override
        public AccountServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AccountServiceFutureStub(channel, callOptions);
        }
      };
    return AccountServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * AccountService: registration, email verification, login, sessions, logout,
   * password change and reset, email change, and account deletion.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Register creates an unverified account and mails a verification link.
     * If the email already belongs to an account, nothing is created, the owner
     * is mailed a notice, and the response looks exactly like a fresh
     * registration (no account enumeration).
     * Errors: INVALID_ARGUMENT INVALID_USERNAME | INVALID_EMAIL | WEAK_PASSWORD |
     * INVALID_CLIENT_CONTEXT; ALREADY_EXISTS USERNAME_TAKEN (only once every field
     * is valid).
     * </pre>
     */
    default void register(dev.userharbor.v1.RegisterRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.RegisterResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRegisterMethod(), responseObserver);
    }

    /**
     * <pre>
     * VerifyEmail consumes a verification token (single use). The token names the
     * address it proves: the account's own is marked verified; a new address
     * asked for by ChangeEmail becomes the account's email, verified. Moving the
     * email is a credential change: every other session and every pending link
     * end (the session given in `session_token`, if live and the account's,
     * stays), and the old address is mailed a notice.
     * Errors: INVALID_ARGUMENT INVALID_TOKEN (unknown, expired, used, or not a
     * verification token) | INVALID_CLIENT_CONTEXT; ALREADY_EXISTS EMAIL_TAKEN
     * (an email change whose new address another account took meanwhile:
     * nothing changes).
     * </pre>
     */
    default void verifyEmail(dev.userharbor.v1.VerifyEmailRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.VerifyEmailResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getVerifyEmailMethod(), responseObserver);
    }

    /**
     * <pre>
     * ResendVerification mails a fresh verification link if the email belongs
     * to an unverified account. Always OK, whatever the email (no enumeration).
     * Limited like SendPasswordReset (per address and requester; a ceiling of
     * mail per address beyond which it is held back, the answer still OK).
     * Errors: INVALID_ARGUMENT INVALID_EMAIL (malformed address only) |
     * INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED RATE_LIMITED (this requester's
     * budget; with RetryInfo).
     * </pre>
     */
    default void resendVerification(dev.userharbor.v1.ResendVerificationRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ResendVerificationResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getResendVerificationMethod(), responseObserver);
    }

    /**
     * <pre>
     * Login checks a username (or email) and password and opens a session.
     * Every successful Login also returns a new device token
     * (LoginResponse.device_token); the backend keeps it in a long-lived cookie
     * and sends it back in ClientContext.device_token on later logins of that
     * browser. A login bringing a live device token of the same account is
     * exempt from the account-wide limit and lock (limited per device token
     * instead), so an attacker failing logins from anywhere cannot lock the
     * owner out; a device token that collects too many failures is trusted no
     * more. Without one, the account-wide limit and a bounded lock apply.
     * Errors: UNAUTHENTICATED INVALID_CREDENTIALS (unknown user or wrong
     * password, indistinguishable); FAILED_PRECONDITION EMAIL_NOT_VERIFIED
     * (only after a correct password, when verification is required) |
     * ACCOUNT_DISABLED (only after a correct password: an operator disabled it);
     * RESOURCE_EXHAUSTED RATE_LIMITED (with RetryInfo; right password or not);
     * INVALID_ARGUMENT INVALID_CLIENT_CONTEXT.
     * </pre>
     */
    default void login(dev.userharbor.v1.LoginRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.LoginResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getLoginMethod(), responseObserver);
    }

    /**
     * <pre>
     * VerifySession tells whether a session token is live. An invalid, expired
     * or revoked token is `valid = false`, not an error. With `issue_assertion`
     * and a live session, the answer also carries a fresh session assertion
     * (see LoginResponse.session_assertion); without it nothing is signed.
     * Errors: none of its own (an invalid session is `valid = false`).
     * </pre>
     */
    default void verifySession(dev.userharbor.v1.VerifySessionRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.VerifySessionResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getVerifySessionMethod(), responseObserver);
    }

    /**
     * <pre>
     * GetSessionKeys returns the public keys that verify session assertions, as
     * an RFC 7517 JWK Set: the keys of the previous, current and next rotation
     * period (SESSION_KEY_ROTATION), so a verifier already knows a key before
     * it signs and still knows it until every assertion it signed has expired.
     * The same document is served at `GET /.well-known/jwks.json` on the service
     * port. Needs no API key (public keys only; never a private member `d`). The
     * response carries `Cache-Control: public, max-age=N`: a cache may keep it
     * that long.
     * Errors: none of its own (not INVALID_API_KEY nor MISSING_SCOPE either).
     * </pre>
     */
    default void getSessionKeys(dev.userharbor.v1.GetSessionKeysRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.GetSessionKeysResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetSessionKeysMethod(), responseObserver);
    }

    /**
     * <pre>
     * GetCurrentUser returns the account a live session belongs to.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    default void getCurrentUser(dev.userharbor.v1.GetCurrentUserRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.GetCurrentUserResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetCurrentUserMethod(), responseObserver);
    }

    /**
     * <pre>
     * Logout revokes one session. Idempotent: an unknown or dead token is OK.
     * </pre>
     */
    default void logout(dev.userharbor.v1.LogoutRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.LogoutResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getLogoutMethod(), responseObserver);
    }

    /**
     * <pre>
     * LogoutAll signs the caller's account out everywhere: every session (the
     * caller's own included), every pending link (an email change or password
     * reset someone asked for) and every trusted device token end.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    default void logoutAll(dev.userharbor.v1.LogoutAllRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.LogoutAllResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getLogoutAllMethod(), responseObserver);
    }

    /**
     * <pre>
     * ChangePassword sets a new password. Every other session of the account is
     * revoked; the calling session stays live. Outstanding verification and
     * reset tokens die; device tokens stay (they grant no access, only exemption
     * from the account-wide lock). The owner is mailed a notice.
     * Wrong old passwords lock this session's password checks (and the
     * account's sessions together), never Login.
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS (wrong
     * old password); INVALID_ARGUMENT WEAK_PASSWORD; RESOURCE_EXHAUSTED
     * RATE_LIMITED (this session's password checks are locked; with RetryInfo).
     * </pre>
     */
    default void changePassword(dev.userharbor.v1.ChangePasswordRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ChangePasswordResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getChangePasswordMethod(), responseObserver);
    }

    /**
     * <pre>
     * SendPasswordReset mails a reset link if the email belongs to an account.
     * Always OK, whatever the email (no enumeration). The budget is per address
     * and requester, so one requester cannot use up the owner's; beyond a
     * ceiling of mail per address the mail is held back and the answer stays OK.
     * Errors: INVALID_ARGUMENT INVALID_EMAIL (malformed address only) |
     * INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED RATE_LIMITED (this requester's
     * budget; with RetryInfo).
     * </pre>
     */
    default void sendPasswordReset(dev.userharbor.v1.SendPasswordResetRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.SendPasswordResetResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSendPasswordResetMethod(), responseObserver);
    }

    /**
     * <pre>
     * ResetPassword consumes a reset token (single use), sets the new password
     * and revokes every session and every device token of the account. A weak new password fails
     * before the token is touched, so the token stays usable.
     * Errors: INVALID_ARGUMENT WEAK_PASSWORD | INVALID_TOKEN | INVALID_CLIENT_CONTEXT.
     * </pre>
     */
    default void resetPassword(dev.userharbor.v1.ResetPasswordRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ResetPasswordResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getResetPasswordMethod(), responseObserver);
    }

    /**
     * <pre>
     * DeleteAccount removes the account, its sessions, its tokens and its
     * device tokens in one transaction. The password is asked again to confirm
     * (under the same per-session lock as ChangePassword).
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS;
     * RESOURCE_EXHAUSTED RATE_LIMITED (with RetryInfo).
     * </pre>
     */
    default void deleteAccount(dev.userharbor.v1.DeleteAccountRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.DeleteAccountResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteAccountMethod(), responseObserver);
    }

    /**
     * <pre>
     * ListSessions lists the live sessions of the caller's account, newest first.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    default void listSessions(dev.userharbor.v1.ListSessionsRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ListSessionsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListSessionsMethod(), responseObserver);
    }

    /**
     * <pre>
     * RevokeSession revokes one of the caller's own sessions by id.
     * Errors: UNAUTHENTICATED INVALID_SESSION; NOT_FOUND SESSION_NOT_FOUND (an
     * unknown id and another account's session id alike).
     * </pre>
     */
    default void revokeSession(dev.userharbor.v1.RevokeSessionRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.RevokeSessionResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRevokeSessionMethod(), responseObserver);
    }

    /**
     * <pre>
     * ChangeEmail asks to move the account to a new email address. It mails a
     * verification link to the new address and a notice to the current one; the
     * email changes only when that link is used (VerifyEmail). A new address that
     * belongs to another account gets the same OK answer, and its owner a notice
     * mail instead (no enumeration). Wrong passwords lock this session's password
     * checks (and the account's sessions together), not Login; the mail budgets
     * count the new address.
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS;
     * INVALID_ARGUMENT INVALID_EMAIL | INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED
     * RATE_LIMITED.
     * </pre>
     */
    default void changeEmail(dev.userharbor.v1.ChangeEmailRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ChangeEmailResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getChangeEmailMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service AccountService.
   * <pre>
   * AccountService: registration, email verification, login, sessions, logout,
   * password change and reset, email change, and account deletion.
   * </pre>
   */
  public static abstract class AccountServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return AccountServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service AccountService.
   * <pre>
   * AccountService: registration, email verification, login, sessions, logout,
   * password change and reset, email change, and account deletion.
   * </pre>
   */
  public static final class AccountServiceStub
      extends io.grpc.stub.AbstractAsyncStub<AccountServiceStub> {
    private AccountServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AccountServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AccountServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Register creates an unverified account and mails a verification link.
     * If the email already belongs to an account, nothing is created, the owner
     * is mailed a notice, and the response looks exactly like a fresh
     * registration (no account enumeration).
     * Errors: INVALID_ARGUMENT INVALID_USERNAME | INVALID_EMAIL | WEAK_PASSWORD |
     * INVALID_CLIENT_CONTEXT; ALREADY_EXISTS USERNAME_TAKEN (only once every field
     * is valid).
     * </pre>
     */
    public void register(dev.userharbor.v1.RegisterRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.RegisterResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRegisterMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * VerifyEmail consumes a verification token (single use). The token names the
     * address it proves: the account's own is marked verified; a new address
     * asked for by ChangeEmail becomes the account's email, verified. Moving the
     * email is a credential change: every other session and every pending link
     * end (the session given in `session_token`, if live and the account's,
     * stays), and the old address is mailed a notice.
     * Errors: INVALID_ARGUMENT INVALID_TOKEN (unknown, expired, used, or not a
     * verification token) | INVALID_CLIENT_CONTEXT; ALREADY_EXISTS EMAIL_TAKEN
     * (an email change whose new address another account took meanwhile:
     * nothing changes).
     * </pre>
     */
    public void verifyEmail(dev.userharbor.v1.VerifyEmailRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.VerifyEmailResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getVerifyEmailMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * ResendVerification mails a fresh verification link if the email belongs
     * to an unverified account. Always OK, whatever the email (no enumeration).
     * Limited like SendPasswordReset (per address and requester; a ceiling of
     * mail per address beyond which it is held back, the answer still OK).
     * Errors: INVALID_ARGUMENT INVALID_EMAIL (malformed address only) |
     * INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED RATE_LIMITED (this requester's
     * budget; with RetryInfo).
     * </pre>
     */
    public void resendVerification(dev.userharbor.v1.ResendVerificationRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ResendVerificationResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getResendVerificationMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Login checks a username (or email) and password and opens a session.
     * Every successful Login also returns a new device token
     * (LoginResponse.device_token); the backend keeps it in a long-lived cookie
     * and sends it back in ClientContext.device_token on later logins of that
     * browser. A login bringing a live device token of the same account is
     * exempt from the account-wide limit and lock (limited per device token
     * instead), so an attacker failing logins from anywhere cannot lock the
     * owner out; a device token that collects too many failures is trusted no
     * more. Without one, the account-wide limit and a bounded lock apply.
     * Errors: UNAUTHENTICATED INVALID_CREDENTIALS (unknown user or wrong
     * password, indistinguishable); FAILED_PRECONDITION EMAIL_NOT_VERIFIED
     * (only after a correct password, when verification is required) |
     * ACCOUNT_DISABLED (only after a correct password: an operator disabled it);
     * RESOURCE_EXHAUSTED RATE_LIMITED (with RetryInfo; right password or not);
     * INVALID_ARGUMENT INVALID_CLIENT_CONTEXT.
     * </pre>
     */
    public void login(dev.userharbor.v1.LoginRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.LoginResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getLoginMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * VerifySession tells whether a session token is live. An invalid, expired
     * or revoked token is `valid = false`, not an error. With `issue_assertion`
     * and a live session, the answer also carries a fresh session assertion
     * (see LoginResponse.session_assertion); without it nothing is signed.
     * Errors: none of its own (an invalid session is `valid = false`).
     * </pre>
     */
    public void verifySession(dev.userharbor.v1.VerifySessionRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.VerifySessionResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getVerifySessionMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * GetSessionKeys returns the public keys that verify session assertions, as
     * an RFC 7517 JWK Set: the keys of the previous, current and next rotation
     * period (SESSION_KEY_ROTATION), so a verifier already knows a key before
     * it signs and still knows it until every assertion it signed has expired.
     * The same document is served at `GET /.well-known/jwks.json` on the service
     * port. Needs no API key (public keys only; never a private member `d`). The
     * response carries `Cache-Control: public, max-age=N`: a cache may keep it
     * that long.
     * Errors: none of its own (not INVALID_API_KEY nor MISSING_SCOPE either).
     * </pre>
     */
    public void getSessionKeys(dev.userharbor.v1.GetSessionKeysRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.GetSessionKeysResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetSessionKeysMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * GetCurrentUser returns the account a live session belongs to.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    public void getCurrentUser(dev.userharbor.v1.GetCurrentUserRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.GetCurrentUserResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetCurrentUserMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Logout revokes one session. Idempotent: an unknown or dead token is OK.
     * </pre>
     */
    public void logout(dev.userharbor.v1.LogoutRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.LogoutResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getLogoutMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * LogoutAll signs the caller's account out everywhere: every session (the
     * caller's own included), every pending link (an email change or password
     * reset someone asked for) and every trusted device token end.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    public void logoutAll(dev.userharbor.v1.LogoutAllRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.LogoutAllResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getLogoutAllMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * ChangePassword sets a new password. Every other session of the account is
     * revoked; the calling session stays live. Outstanding verification and
     * reset tokens die; device tokens stay (they grant no access, only exemption
     * from the account-wide lock). The owner is mailed a notice.
     * Wrong old passwords lock this session's password checks (and the
     * account's sessions together), never Login.
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS (wrong
     * old password); INVALID_ARGUMENT WEAK_PASSWORD; RESOURCE_EXHAUSTED
     * RATE_LIMITED (this session's password checks are locked; with RetryInfo).
     * </pre>
     */
    public void changePassword(dev.userharbor.v1.ChangePasswordRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ChangePasswordResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getChangePasswordMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * SendPasswordReset mails a reset link if the email belongs to an account.
     * Always OK, whatever the email (no enumeration). The budget is per address
     * and requester, so one requester cannot use up the owner's; beyond a
     * ceiling of mail per address the mail is held back and the answer stays OK.
     * Errors: INVALID_ARGUMENT INVALID_EMAIL (malformed address only) |
     * INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED RATE_LIMITED (this requester's
     * budget; with RetryInfo).
     * </pre>
     */
    public void sendPasswordReset(dev.userharbor.v1.SendPasswordResetRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.SendPasswordResetResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSendPasswordResetMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * ResetPassword consumes a reset token (single use), sets the new password
     * and revokes every session and every device token of the account. A weak new password fails
     * before the token is touched, so the token stays usable.
     * Errors: INVALID_ARGUMENT WEAK_PASSWORD | INVALID_TOKEN | INVALID_CLIENT_CONTEXT.
     * </pre>
     */
    public void resetPassword(dev.userharbor.v1.ResetPasswordRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ResetPasswordResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getResetPasswordMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * DeleteAccount removes the account, its sessions, its tokens and its
     * device tokens in one transaction. The password is asked again to confirm
     * (under the same per-session lock as ChangePassword).
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS;
     * RESOURCE_EXHAUSTED RATE_LIMITED (with RetryInfo).
     * </pre>
     */
    public void deleteAccount(dev.userharbor.v1.DeleteAccountRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.DeleteAccountResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteAccountMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * ListSessions lists the live sessions of the caller's account, newest first.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    public void listSessions(dev.userharbor.v1.ListSessionsRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ListSessionsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListSessionsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * RevokeSession revokes one of the caller's own sessions by id.
     * Errors: UNAUTHENTICATED INVALID_SESSION; NOT_FOUND SESSION_NOT_FOUND (an
     * unknown id and another account's session id alike).
     * </pre>
     */
    public void revokeSession(dev.userharbor.v1.RevokeSessionRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.RevokeSessionResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRevokeSessionMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * ChangeEmail asks to move the account to a new email address. It mails a
     * verification link to the new address and a notice to the current one; the
     * email changes only when that link is used (VerifyEmail). A new address that
     * belongs to another account gets the same OK answer, and its owner a notice
     * mail instead (no enumeration). Wrong passwords lock this session's password
     * checks (and the account's sessions together), not Login; the mail budgets
     * count the new address.
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS;
     * INVALID_ARGUMENT INVALID_EMAIL | INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED
     * RATE_LIMITED.
     * </pre>
     */
    public void changeEmail(dev.userharbor.v1.ChangeEmailRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ChangeEmailResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getChangeEmailMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service AccountService.
   * <pre>
   * AccountService: registration, email verification, login, sessions, logout,
   * password change and reset, email change, and account deletion.
   * </pre>
   */
  public static final class AccountServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<AccountServiceBlockingV2Stub> {
    private AccountServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AccountServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AccountServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Register creates an unverified account and mails a verification link.
     * If the email already belongs to an account, nothing is created, the owner
     * is mailed a notice, and the response looks exactly like a fresh
     * registration (no account enumeration).
     * Errors: INVALID_ARGUMENT INVALID_USERNAME | INVALID_EMAIL | WEAK_PASSWORD |
     * INVALID_CLIENT_CONTEXT; ALREADY_EXISTS USERNAME_TAKEN (only once every field
     * is valid).
     * </pre>
     */
    public dev.userharbor.v1.RegisterResponse register(dev.userharbor.v1.RegisterRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRegisterMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * VerifyEmail consumes a verification token (single use). The token names the
     * address it proves: the account's own is marked verified; a new address
     * asked for by ChangeEmail becomes the account's email, verified. Moving the
     * email is a credential change: every other session and every pending link
     * end (the session given in `session_token`, if live and the account's,
     * stays), and the old address is mailed a notice.
     * Errors: INVALID_ARGUMENT INVALID_TOKEN (unknown, expired, used, or not a
     * verification token) | INVALID_CLIENT_CONTEXT; ALREADY_EXISTS EMAIL_TAKEN
     * (an email change whose new address another account took meanwhile:
     * nothing changes).
     * </pre>
     */
    public dev.userharbor.v1.VerifyEmailResponse verifyEmail(dev.userharbor.v1.VerifyEmailRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getVerifyEmailMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ResendVerification mails a fresh verification link if the email belongs
     * to an unverified account. Always OK, whatever the email (no enumeration).
     * Limited like SendPasswordReset (per address and requester; a ceiling of
     * mail per address beyond which it is held back, the answer still OK).
     * Errors: INVALID_ARGUMENT INVALID_EMAIL (malformed address only) |
     * INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED RATE_LIMITED (this requester's
     * budget; with RetryInfo).
     * </pre>
     */
    public dev.userharbor.v1.ResendVerificationResponse resendVerification(dev.userharbor.v1.ResendVerificationRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getResendVerificationMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Login checks a username (or email) and password and opens a session.
     * Every successful Login also returns a new device token
     * (LoginResponse.device_token); the backend keeps it in a long-lived cookie
     * and sends it back in ClientContext.device_token on later logins of that
     * browser. A login bringing a live device token of the same account is
     * exempt from the account-wide limit and lock (limited per device token
     * instead), so an attacker failing logins from anywhere cannot lock the
     * owner out; a device token that collects too many failures is trusted no
     * more. Without one, the account-wide limit and a bounded lock apply.
     * Errors: UNAUTHENTICATED INVALID_CREDENTIALS (unknown user or wrong
     * password, indistinguishable); FAILED_PRECONDITION EMAIL_NOT_VERIFIED
     * (only after a correct password, when verification is required) |
     * ACCOUNT_DISABLED (only after a correct password: an operator disabled it);
     * RESOURCE_EXHAUSTED RATE_LIMITED (with RetryInfo; right password or not);
     * INVALID_ARGUMENT INVALID_CLIENT_CONTEXT.
     * </pre>
     */
    public dev.userharbor.v1.LoginResponse login(dev.userharbor.v1.LoginRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getLoginMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * VerifySession tells whether a session token is live. An invalid, expired
     * or revoked token is `valid = false`, not an error. With `issue_assertion`
     * and a live session, the answer also carries a fresh session assertion
     * (see LoginResponse.session_assertion); without it nothing is signed.
     * Errors: none of its own (an invalid session is `valid = false`).
     * </pre>
     */
    public dev.userharbor.v1.VerifySessionResponse verifySession(dev.userharbor.v1.VerifySessionRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getVerifySessionMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetSessionKeys returns the public keys that verify session assertions, as
     * an RFC 7517 JWK Set: the keys of the previous, current and next rotation
     * period (SESSION_KEY_ROTATION), so a verifier already knows a key before
     * it signs and still knows it until every assertion it signed has expired.
     * The same document is served at `GET /.well-known/jwks.json` on the service
     * port. Needs no API key (public keys only; never a private member `d`). The
     * response carries `Cache-Control: public, max-age=N`: a cache may keep it
     * that long.
     * Errors: none of its own (not INVALID_API_KEY nor MISSING_SCOPE either).
     * </pre>
     */
    public dev.userharbor.v1.GetSessionKeysResponse getSessionKeys(dev.userharbor.v1.GetSessionKeysRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetSessionKeysMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetCurrentUser returns the account a live session belongs to.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    public dev.userharbor.v1.GetCurrentUserResponse getCurrentUser(dev.userharbor.v1.GetCurrentUserRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetCurrentUserMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Logout revokes one session. Idempotent: an unknown or dead token is OK.
     * </pre>
     */
    public dev.userharbor.v1.LogoutResponse logout(dev.userharbor.v1.LogoutRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getLogoutMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * LogoutAll signs the caller's account out everywhere: every session (the
     * caller's own included), every pending link (an email change or password
     * reset someone asked for) and every trusted device token end.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    public dev.userharbor.v1.LogoutAllResponse logoutAll(dev.userharbor.v1.LogoutAllRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getLogoutAllMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ChangePassword sets a new password. Every other session of the account is
     * revoked; the calling session stays live. Outstanding verification and
     * reset tokens die; device tokens stay (they grant no access, only exemption
     * from the account-wide lock). The owner is mailed a notice.
     * Wrong old passwords lock this session's password checks (and the
     * account's sessions together), never Login.
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS (wrong
     * old password); INVALID_ARGUMENT WEAK_PASSWORD; RESOURCE_EXHAUSTED
     * RATE_LIMITED (this session's password checks are locked; with RetryInfo).
     * </pre>
     */
    public dev.userharbor.v1.ChangePasswordResponse changePassword(dev.userharbor.v1.ChangePasswordRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getChangePasswordMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * SendPasswordReset mails a reset link if the email belongs to an account.
     * Always OK, whatever the email (no enumeration). The budget is per address
     * and requester, so one requester cannot use up the owner's; beyond a
     * ceiling of mail per address the mail is held back and the answer stays OK.
     * Errors: INVALID_ARGUMENT INVALID_EMAIL (malformed address only) |
     * INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED RATE_LIMITED (this requester's
     * budget; with RetryInfo).
     * </pre>
     */
    public dev.userharbor.v1.SendPasswordResetResponse sendPasswordReset(dev.userharbor.v1.SendPasswordResetRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSendPasswordResetMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ResetPassword consumes a reset token (single use), sets the new password
     * and revokes every session and every device token of the account. A weak new password fails
     * before the token is touched, so the token stays usable.
     * Errors: INVALID_ARGUMENT WEAK_PASSWORD | INVALID_TOKEN | INVALID_CLIENT_CONTEXT.
     * </pre>
     */
    public dev.userharbor.v1.ResetPasswordResponse resetPassword(dev.userharbor.v1.ResetPasswordRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getResetPasswordMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * DeleteAccount removes the account, its sessions, its tokens and its
     * device tokens in one transaction. The password is asked again to confirm
     * (under the same per-session lock as ChangePassword).
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS;
     * RESOURCE_EXHAUSTED RATE_LIMITED (with RetryInfo).
     * </pre>
     */
    public dev.userharbor.v1.DeleteAccountResponse deleteAccount(dev.userharbor.v1.DeleteAccountRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeleteAccountMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListSessions lists the live sessions of the caller's account, newest first.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    public dev.userharbor.v1.ListSessionsResponse listSessions(dev.userharbor.v1.ListSessionsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListSessionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * RevokeSession revokes one of the caller's own sessions by id.
     * Errors: UNAUTHENTICATED INVALID_SESSION; NOT_FOUND SESSION_NOT_FOUND (an
     * unknown id and another account's session id alike).
     * </pre>
     */
    public dev.userharbor.v1.RevokeSessionResponse revokeSession(dev.userharbor.v1.RevokeSessionRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRevokeSessionMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ChangeEmail asks to move the account to a new email address. It mails a
     * verification link to the new address and a notice to the current one; the
     * email changes only when that link is used (VerifyEmail). A new address that
     * belongs to another account gets the same OK answer, and its owner a notice
     * mail instead (no enumeration). Wrong passwords lock this session's password
     * checks (and the account's sessions together), not Login; the mail budgets
     * count the new address.
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS;
     * INVALID_ARGUMENT INVALID_EMAIL | INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED
     * RATE_LIMITED.
     * </pre>
     */
    public dev.userharbor.v1.ChangeEmailResponse changeEmail(dev.userharbor.v1.ChangeEmailRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getChangeEmailMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service AccountService.
   * <pre>
   * AccountService: registration, email verification, login, sessions, logout,
   * password change and reset, email change, and account deletion.
   * </pre>
   */
  public static final class AccountServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<AccountServiceBlockingStub> {
    private AccountServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AccountServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AccountServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Register creates an unverified account and mails a verification link.
     * If the email already belongs to an account, nothing is created, the owner
     * is mailed a notice, and the response looks exactly like a fresh
     * registration (no account enumeration).
     * Errors: INVALID_ARGUMENT INVALID_USERNAME | INVALID_EMAIL | WEAK_PASSWORD |
     * INVALID_CLIENT_CONTEXT; ALREADY_EXISTS USERNAME_TAKEN (only once every field
     * is valid).
     * </pre>
     */
    public dev.userharbor.v1.RegisterResponse register(dev.userharbor.v1.RegisterRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRegisterMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * VerifyEmail consumes a verification token (single use). The token names the
     * address it proves: the account's own is marked verified; a new address
     * asked for by ChangeEmail becomes the account's email, verified. Moving the
     * email is a credential change: every other session and every pending link
     * end (the session given in `session_token`, if live and the account's,
     * stays), and the old address is mailed a notice.
     * Errors: INVALID_ARGUMENT INVALID_TOKEN (unknown, expired, used, or not a
     * verification token) | INVALID_CLIENT_CONTEXT; ALREADY_EXISTS EMAIL_TAKEN
     * (an email change whose new address another account took meanwhile:
     * nothing changes).
     * </pre>
     */
    public dev.userharbor.v1.VerifyEmailResponse verifyEmail(dev.userharbor.v1.VerifyEmailRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getVerifyEmailMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ResendVerification mails a fresh verification link if the email belongs
     * to an unverified account. Always OK, whatever the email (no enumeration).
     * Limited like SendPasswordReset (per address and requester; a ceiling of
     * mail per address beyond which it is held back, the answer still OK).
     * Errors: INVALID_ARGUMENT INVALID_EMAIL (malformed address only) |
     * INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED RATE_LIMITED (this requester's
     * budget; with RetryInfo).
     * </pre>
     */
    public dev.userharbor.v1.ResendVerificationResponse resendVerification(dev.userharbor.v1.ResendVerificationRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getResendVerificationMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Login checks a username (or email) and password and opens a session.
     * Every successful Login also returns a new device token
     * (LoginResponse.device_token); the backend keeps it in a long-lived cookie
     * and sends it back in ClientContext.device_token on later logins of that
     * browser. A login bringing a live device token of the same account is
     * exempt from the account-wide limit and lock (limited per device token
     * instead), so an attacker failing logins from anywhere cannot lock the
     * owner out; a device token that collects too many failures is trusted no
     * more. Without one, the account-wide limit and a bounded lock apply.
     * Errors: UNAUTHENTICATED INVALID_CREDENTIALS (unknown user or wrong
     * password, indistinguishable); FAILED_PRECONDITION EMAIL_NOT_VERIFIED
     * (only after a correct password, when verification is required) |
     * ACCOUNT_DISABLED (only after a correct password: an operator disabled it);
     * RESOURCE_EXHAUSTED RATE_LIMITED (with RetryInfo; right password or not);
     * INVALID_ARGUMENT INVALID_CLIENT_CONTEXT.
     * </pre>
     */
    public dev.userharbor.v1.LoginResponse login(dev.userharbor.v1.LoginRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getLoginMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * VerifySession tells whether a session token is live. An invalid, expired
     * or revoked token is `valid = false`, not an error. With `issue_assertion`
     * and a live session, the answer also carries a fresh session assertion
     * (see LoginResponse.session_assertion); without it nothing is signed.
     * Errors: none of its own (an invalid session is `valid = false`).
     * </pre>
     */
    public dev.userharbor.v1.VerifySessionResponse verifySession(dev.userharbor.v1.VerifySessionRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getVerifySessionMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetSessionKeys returns the public keys that verify session assertions, as
     * an RFC 7517 JWK Set: the keys of the previous, current and next rotation
     * period (SESSION_KEY_ROTATION), so a verifier already knows a key before
     * it signs and still knows it until every assertion it signed has expired.
     * The same document is served at `GET /.well-known/jwks.json` on the service
     * port. Needs no API key (public keys only; never a private member `d`). The
     * response carries `Cache-Control: public, max-age=N`: a cache may keep it
     * that long.
     * Errors: none of its own (not INVALID_API_KEY nor MISSING_SCOPE either).
     * </pre>
     */
    public dev.userharbor.v1.GetSessionKeysResponse getSessionKeys(dev.userharbor.v1.GetSessionKeysRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetSessionKeysMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetCurrentUser returns the account a live session belongs to.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    public dev.userharbor.v1.GetCurrentUserResponse getCurrentUser(dev.userharbor.v1.GetCurrentUserRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetCurrentUserMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Logout revokes one session. Idempotent: an unknown or dead token is OK.
     * </pre>
     */
    public dev.userharbor.v1.LogoutResponse logout(dev.userharbor.v1.LogoutRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getLogoutMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * LogoutAll signs the caller's account out everywhere: every session (the
     * caller's own included), every pending link (an email change or password
     * reset someone asked for) and every trusted device token end.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    public dev.userharbor.v1.LogoutAllResponse logoutAll(dev.userharbor.v1.LogoutAllRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getLogoutAllMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ChangePassword sets a new password. Every other session of the account is
     * revoked; the calling session stays live. Outstanding verification and
     * reset tokens die; device tokens stay (they grant no access, only exemption
     * from the account-wide lock). The owner is mailed a notice.
     * Wrong old passwords lock this session's password checks (and the
     * account's sessions together), never Login.
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS (wrong
     * old password); INVALID_ARGUMENT WEAK_PASSWORD; RESOURCE_EXHAUSTED
     * RATE_LIMITED (this session's password checks are locked; with RetryInfo).
     * </pre>
     */
    public dev.userharbor.v1.ChangePasswordResponse changePassword(dev.userharbor.v1.ChangePasswordRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getChangePasswordMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * SendPasswordReset mails a reset link if the email belongs to an account.
     * Always OK, whatever the email (no enumeration). The budget is per address
     * and requester, so one requester cannot use up the owner's; beyond a
     * ceiling of mail per address the mail is held back and the answer stays OK.
     * Errors: INVALID_ARGUMENT INVALID_EMAIL (malformed address only) |
     * INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED RATE_LIMITED (this requester's
     * budget; with RetryInfo).
     * </pre>
     */
    public dev.userharbor.v1.SendPasswordResetResponse sendPasswordReset(dev.userharbor.v1.SendPasswordResetRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSendPasswordResetMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ResetPassword consumes a reset token (single use), sets the new password
     * and revokes every session and every device token of the account. A weak new password fails
     * before the token is touched, so the token stays usable.
     * Errors: INVALID_ARGUMENT WEAK_PASSWORD | INVALID_TOKEN | INVALID_CLIENT_CONTEXT.
     * </pre>
     */
    public dev.userharbor.v1.ResetPasswordResponse resetPassword(dev.userharbor.v1.ResetPasswordRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getResetPasswordMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * DeleteAccount removes the account, its sessions, its tokens and its
     * device tokens in one transaction. The password is asked again to confirm
     * (under the same per-session lock as ChangePassword).
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS;
     * RESOURCE_EXHAUSTED RATE_LIMITED (with RetryInfo).
     * </pre>
     */
    public dev.userharbor.v1.DeleteAccountResponse deleteAccount(dev.userharbor.v1.DeleteAccountRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteAccountMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListSessions lists the live sessions of the caller's account, newest first.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    public dev.userharbor.v1.ListSessionsResponse listSessions(dev.userharbor.v1.ListSessionsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListSessionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * RevokeSession revokes one of the caller's own sessions by id.
     * Errors: UNAUTHENTICATED INVALID_SESSION; NOT_FOUND SESSION_NOT_FOUND (an
     * unknown id and another account's session id alike).
     * </pre>
     */
    public dev.userharbor.v1.RevokeSessionResponse revokeSession(dev.userharbor.v1.RevokeSessionRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRevokeSessionMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ChangeEmail asks to move the account to a new email address. It mails a
     * verification link to the new address and a notice to the current one; the
     * email changes only when that link is used (VerifyEmail). A new address that
     * belongs to another account gets the same OK answer, and its owner a notice
     * mail instead (no enumeration). Wrong passwords lock this session's password
     * checks (and the account's sessions together), not Login; the mail budgets
     * count the new address.
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS;
     * INVALID_ARGUMENT INVALID_EMAIL | INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED
     * RATE_LIMITED.
     * </pre>
     */
    public dev.userharbor.v1.ChangeEmailResponse changeEmail(dev.userharbor.v1.ChangeEmailRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getChangeEmailMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service AccountService.
   * <pre>
   * AccountService: registration, email verification, login, sessions, logout,
   * password change and reset, email change, and account deletion.
   * </pre>
   */
  public static final class AccountServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<AccountServiceFutureStub> {
    private AccountServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AccountServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AccountServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Register creates an unverified account and mails a verification link.
     * If the email already belongs to an account, nothing is created, the owner
     * is mailed a notice, and the response looks exactly like a fresh
     * registration (no account enumeration).
     * Errors: INVALID_ARGUMENT INVALID_USERNAME | INVALID_EMAIL | WEAK_PASSWORD |
     * INVALID_CLIENT_CONTEXT; ALREADY_EXISTS USERNAME_TAKEN (only once every field
     * is valid).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.RegisterResponse> register(
        dev.userharbor.v1.RegisterRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRegisterMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * VerifyEmail consumes a verification token (single use). The token names the
     * address it proves: the account's own is marked verified; a new address
     * asked for by ChangeEmail becomes the account's email, verified. Moving the
     * email is a credential change: every other session and every pending link
     * end (the session given in `session_token`, if live and the account's,
     * stays), and the old address is mailed a notice.
     * Errors: INVALID_ARGUMENT INVALID_TOKEN (unknown, expired, used, or not a
     * verification token) | INVALID_CLIENT_CONTEXT; ALREADY_EXISTS EMAIL_TAKEN
     * (an email change whose new address another account took meanwhile:
     * nothing changes).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.VerifyEmailResponse> verifyEmail(
        dev.userharbor.v1.VerifyEmailRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getVerifyEmailMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * ResendVerification mails a fresh verification link if the email belongs
     * to an unverified account. Always OK, whatever the email (no enumeration).
     * Limited like SendPasswordReset (per address and requester; a ceiling of
     * mail per address beyond which it is held back, the answer still OK).
     * Errors: INVALID_ARGUMENT INVALID_EMAIL (malformed address only) |
     * INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED RATE_LIMITED (this requester's
     * budget; with RetryInfo).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.ResendVerificationResponse> resendVerification(
        dev.userharbor.v1.ResendVerificationRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getResendVerificationMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Login checks a username (or email) and password and opens a session.
     * Every successful Login also returns a new device token
     * (LoginResponse.device_token); the backend keeps it in a long-lived cookie
     * and sends it back in ClientContext.device_token on later logins of that
     * browser. A login bringing a live device token of the same account is
     * exempt from the account-wide limit and lock (limited per device token
     * instead), so an attacker failing logins from anywhere cannot lock the
     * owner out; a device token that collects too many failures is trusted no
     * more. Without one, the account-wide limit and a bounded lock apply.
     * Errors: UNAUTHENTICATED INVALID_CREDENTIALS (unknown user or wrong
     * password, indistinguishable); FAILED_PRECONDITION EMAIL_NOT_VERIFIED
     * (only after a correct password, when verification is required) |
     * ACCOUNT_DISABLED (only after a correct password: an operator disabled it);
     * RESOURCE_EXHAUSTED RATE_LIMITED (with RetryInfo; right password or not);
     * INVALID_ARGUMENT INVALID_CLIENT_CONTEXT.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.LoginResponse> login(
        dev.userharbor.v1.LoginRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getLoginMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * VerifySession tells whether a session token is live. An invalid, expired
     * or revoked token is `valid = false`, not an error. With `issue_assertion`
     * and a live session, the answer also carries a fresh session assertion
     * (see LoginResponse.session_assertion); without it nothing is signed.
     * Errors: none of its own (an invalid session is `valid = false`).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.VerifySessionResponse> verifySession(
        dev.userharbor.v1.VerifySessionRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getVerifySessionMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * GetSessionKeys returns the public keys that verify session assertions, as
     * an RFC 7517 JWK Set: the keys of the previous, current and next rotation
     * period (SESSION_KEY_ROTATION), so a verifier already knows a key before
     * it signs and still knows it until every assertion it signed has expired.
     * The same document is served at `GET /.well-known/jwks.json` on the service
     * port. Needs no API key (public keys only; never a private member `d`). The
     * response carries `Cache-Control: public, max-age=N`: a cache may keep it
     * that long.
     * Errors: none of its own (not INVALID_API_KEY nor MISSING_SCOPE either).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.GetSessionKeysResponse> getSessionKeys(
        dev.userharbor.v1.GetSessionKeysRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetSessionKeysMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * GetCurrentUser returns the account a live session belongs to.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.GetCurrentUserResponse> getCurrentUser(
        dev.userharbor.v1.GetCurrentUserRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetCurrentUserMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Logout revokes one session. Idempotent: an unknown or dead token is OK.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.LogoutResponse> logout(
        dev.userharbor.v1.LogoutRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getLogoutMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * LogoutAll signs the caller's account out everywhere: every session (the
     * caller's own included), every pending link (an email change or password
     * reset someone asked for) and every trusted device token end.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.LogoutAllResponse> logoutAll(
        dev.userharbor.v1.LogoutAllRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getLogoutAllMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * ChangePassword sets a new password. Every other session of the account is
     * revoked; the calling session stays live. Outstanding verification and
     * reset tokens die; device tokens stay (they grant no access, only exemption
     * from the account-wide lock). The owner is mailed a notice.
     * Wrong old passwords lock this session's password checks (and the
     * account's sessions together), never Login.
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS (wrong
     * old password); INVALID_ARGUMENT WEAK_PASSWORD; RESOURCE_EXHAUSTED
     * RATE_LIMITED (this session's password checks are locked; with RetryInfo).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.ChangePasswordResponse> changePassword(
        dev.userharbor.v1.ChangePasswordRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getChangePasswordMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * SendPasswordReset mails a reset link if the email belongs to an account.
     * Always OK, whatever the email (no enumeration). The budget is per address
     * and requester, so one requester cannot use up the owner's; beyond a
     * ceiling of mail per address the mail is held back and the answer stays OK.
     * Errors: INVALID_ARGUMENT INVALID_EMAIL (malformed address only) |
     * INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED RATE_LIMITED (this requester's
     * budget; with RetryInfo).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.SendPasswordResetResponse> sendPasswordReset(
        dev.userharbor.v1.SendPasswordResetRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSendPasswordResetMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * ResetPassword consumes a reset token (single use), sets the new password
     * and revokes every session and every device token of the account. A weak new password fails
     * before the token is touched, so the token stays usable.
     * Errors: INVALID_ARGUMENT WEAK_PASSWORD | INVALID_TOKEN | INVALID_CLIENT_CONTEXT.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.ResetPasswordResponse> resetPassword(
        dev.userharbor.v1.ResetPasswordRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getResetPasswordMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * DeleteAccount removes the account, its sessions, its tokens and its
     * device tokens in one transaction. The password is asked again to confirm
     * (under the same per-session lock as ChangePassword).
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS;
     * RESOURCE_EXHAUSTED RATE_LIMITED (with RetryInfo).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.DeleteAccountResponse> deleteAccount(
        dev.userharbor.v1.DeleteAccountRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteAccountMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * ListSessions lists the live sessions of the caller's account, newest first.
     * Errors: UNAUTHENTICATED INVALID_SESSION.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.ListSessionsResponse> listSessions(
        dev.userharbor.v1.ListSessionsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListSessionsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * RevokeSession revokes one of the caller's own sessions by id.
     * Errors: UNAUTHENTICATED INVALID_SESSION; NOT_FOUND SESSION_NOT_FOUND (an
     * unknown id and another account's session id alike).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.RevokeSessionResponse> revokeSession(
        dev.userharbor.v1.RevokeSessionRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRevokeSessionMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * ChangeEmail asks to move the account to a new email address. It mails a
     * verification link to the new address and a notice to the current one; the
     * email changes only when that link is used (VerifyEmail). A new address that
     * belongs to another account gets the same OK answer, and its owner a notice
     * mail instead (no enumeration). Wrong passwords lock this session's password
     * checks (and the account's sessions together), not Login; the mail budgets
     * count the new address.
     * Errors: UNAUTHENTICATED INVALID_SESSION | INVALID_CREDENTIALS;
     * INVALID_ARGUMENT INVALID_EMAIL | INVALID_CLIENT_CONTEXT; RESOURCE_EXHAUSTED
     * RATE_LIMITED.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.ChangeEmailResponse> changeEmail(
        dev.userharbor.v1.ChangeEmailRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getChangeEmailMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_REGISTER = 0;
  private static final int METHODID_VERIFY_EMAIL = 1;
  private static final int METHODID_RESEND_VERIFICATION = 2;
  private static final int METHODID_LOGIN = 3;
  private static final int METHODID_VERIFY_SESSION = 4;
  private static final int METHODID_GET_SESSION_KEYS = 5;
  private static final int METHODID_GET_CURRENT_USER = 6;
  private static final int METHODID_LOGOUT = 7;
  private static final int METHODID_LOGOUT_ALL = 8;
  private static final int METHODID_CHANGE_PASSWORD = 9;
  private static final int METHODID_SEND_PASSWORD_RESET = 10;
  private static final int METHODID_RESET_PASSWORD = 11;
  private static final int METHODID_DELETE_ACCOUNT = 12;
  private static final int METHODID_LIST_SESSIONS = 13;
  private static final int METHODID_REVOKE_SESSION = 14;
  private static final int METHODID_CHANGE_EMAIL = 15;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_REGISTER:
          serviceImpl.register((dev.userharbor.v1.RegisterRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.RegisterResponse>) responseObserver);
          break;
        case METHODID_VERIFY_EMAIL:
          serviceImpl.verifyEmail((dev.userharbor.v1.VerifyEmailRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.VerifyEmailResponse>) responseObserver);
          break;
        case METHODID_RESEND_VERIFICATION:
          serviceImpl.resendVerification((dev.userharbor.v1.ResendVerificationRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.ResendVerificationResponse>) responseObserver);
          break;
        case METHODID_LOGIN:
          serviceImpl.login((dev.userharbor.v1.LoginRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.LoginResponse>) responseObserver);
          break;
        case METHODID_VERIFY_SESSION:
          serviceImpl.verifySession((dev.userharbor.v1.VerifySessionRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.VerifySessionResponse>) responseObserver);
          break;
        case METHODID_GET_SESSION_KEYS:
          serviceImpl.getSessionKeys((dev.userharbor.v1.GetSessionKeysRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.GetSessionKeysResponse>) responseObserver);
          break;
        case METHODID_GET_CURRENT_USER:
          serviceImpl.getCurrentUser((dev.userharbor.v1.GetCurrentUserRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.GetCurrentUserResponse>) responseObserver);
          break;
        case METHODID_LOGOUT:
          serviceImpl.logout((dev.userharbor.v1.LogoutRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.LogoutResponse>) responseObserver);
          break;
        case METHODID_LOGOUT_ALL:
          serviceImpl.logoutAll((dev.userharbor.v1.LogoutAllRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.LogoutAllResponse>) responseObserver);
          break;
        case METHODID_CHANGE_PASSWORD:
          serviceImpl.changePassword((dev.userharbor.v1.ChangePasswordRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.ChangePasswordResponse>) responseObserver);
          break;
        case METHODID_SEND_PASSWORD_RESET:
          serviceImpl.sendPasswordReset((dev.userharbor.v1.SendPasswordResetRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.SendPasswordResetResponse>) responseObserver);
          break;
        case METHODID_RESET_PASSWORD:
          serviceImpl.resetPassword((dev.userharbor.v1.ResetPasswordRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.ResetPasswordResponse>) responseObserver);
          break;
        case METHODID_DELETE_ACCOUNT:
          serviceImpl.deleteAccount((dev.userharbor.v1.DeleteAccountRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.DeleteAccountResponse>) responseObserver);
          break;
        case METHODID_LIST_SESSIONS:
          serviceImpl.listSessions((dev.userharbor.v1.ListSessionsRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.ListSessionsResponse>) responseObserver);
          break;
        case METHODID_REVOKE_SESSION:
          serviceImpl.revokeSession((dev.userharbor.v1.RevokeSessionRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.RevokeSessionResponse>) responseObserver);
          break;
        case METHODID_CHANGE_EMAIL:
          serviceImpl.changeEmail((dev.userharbor.v1.ChangeEmailRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.ChangeEmailResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getRegisterMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.RegisterRequest,
              dev.userharbor.v1.RegisterResponse>(
                service, METHODID_REGISTER)))
        .addMethod(
          getVerifyEmailMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.VerifyEmailRequest,
              dev.userharbor.v1.VerifyEmailResponse>(
                service, METHODID_VERIFY_EMAIL)))
        .addMethod(
          getResendVerificationMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.ResendVerificationRequest,
              dev.userharbor.v1.ResendVerificationResponse>(
                service, METHODID_RESEND_VERIFICATION)))
        .addMethod(
          getLoginMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.LoginRequest,
              dev.userharbor.v1.LoginResponse>(
                service, METHODID_LOGIN)))
        .addMethod(
          getVerifySessionMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.VerifySessionRequest,
              dev.userharbor.v1.VerifySessionResponse>(
                service, METHODID_VERIFY_SESSION)))
        .addMethod(
          getGetSessionKeysMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.GetSessionKeysRequest,
              dev.userharbor.v1.GetSessionKeysResponse>(
                service, METHODID_GET_SESSION_KEYS)))
        .addMethod(
          getGetCurrentUserMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.GetCurrentUserRequest,
              dev.userharbor.v1.GetCurrentUserResponse>(
                service, METHODID_GET_CURRENT_USER)))
        .addMethod(
          getLogoutMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.LogoutRequest,
              dev.userharbor.v1.LogoutResponse>(
                service, METHODID_LOGOUT)))
        .addMethod(
          getLogoutAllMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.LogoutAllRequest,
              dev.userharbor.v1.LogoutAllResponse>(
                service, METHODID_LOGOUT_ALL)))
        .addMethod(
          getChangePasswordMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.ChangePasswordRequest,
              dev.userharbor.v1.ChangePasswordResponse>(
                service, METHODID_CHANGE_PASSWORD)))
        .addMethod(
          getSendPasswordResetMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.SendPasswordResetRequest,
              dev.userharbor.v1.SendPasswordResetResponse>(
                service, METHODID_SEND_PASSWORD_RESET)))
        .addMethod(
          getResetPasswordMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.ResetPasswordRequest,
              dev.userharbor.v1.ResetPasswordResponse>(
                service, METHODID_RESET_PASSWORD)))
        .addMethod(
          getDeleteAccountMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.DeleteAccountRequest,
              dev.userharbor.v1.DeleteAccountResponse>(
                service, METHODID_DELETE_ACCOUNT)))
        .addMethod(
          getListSessionsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.ListSessionsRequest,
              dev.userharbor.v1.ListSessionsResponse>(
                service, METHODID_LIST_SESSIONS)))
        .addMethod(
          getRevokeSessionMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.RevokeSessionRequest,
              dev.userharbor.v1.RevokeSessionResponse>(
                service, METHODID_REVOKE_SESSION)))
        .addMethod(
          getChangeEmailMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.ChangeEmailRequest,
              dev.userharbor.v1.ChangeEmailResponse>(
                service, METHODID_CHANGE_EMAIL)))
        .build();
  }

  private static abstract class AccountServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    AccountServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.userharbor.v1.AccountsProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("AccountService");
    }
  }

  private static final class AccountServiceFileDescriptorSupplier
      extends AccountServiceBaseDescriptorSupplier {
    AccountServiceFileDescriptorSupplier() {}
  }

  private static final class AccountServiceMethodDescriptorSupplier
      extends AccountServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    AccountServiceMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (AccountServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new AccountServiceFileDescriptorSupplier())
              .addMethod(getRegisterMethod())
              .addMethod(getVerifyEmailMethod())
              .addMethod(getResendVerificationMethod())
              .addMethod(getLoginMethod())
              .addMethod(getVerifySessionMethod())
              .addMethod(getGetSessionKeysMethod())
              .addMethod(getGetCurrentUserMethod())
              .addMethod(getLogoutMethod())
              .addMethod(getLogoutAllMethod())
              .addMethod(getChangePasswordMethod())
              .addMethod(getSendPasswordResetMethod())
              .addMethod(getResetPasswordMethod())
              .addMethod(getDeleteAccountMethod())
              .addMethod(getListSessionsMethod())
              .addMethod(getRevokeSessionMethod())
              .addMethod(getChangeEmailMethod())
              .build();
        }
      }
    }
    return result;
  }
}
