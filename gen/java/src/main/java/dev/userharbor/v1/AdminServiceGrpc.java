package dev.userharbor.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * AdminService: operators' view of accounts (admin-scoped API keys only).
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class AdminServiceGrpc {

  private AdminServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "userharbor.v1.AdminService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.GetAccountRequest,
      dev.userharbor.v1.GetAccountResponse> getGetAccountMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetAccount",
      requestType = dev.userharbor.v1.GetAccountRequest.class,
      responseType = dev.userharbor.v1.GetAccountResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.GetAccountRequest,
      dev.userharbor.v1.GetAccountResponse> getGetAccountMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.GetAccountRequest, dev.userharbor.v1.GetAccountResponse> getGetAccountMethod;
    if ((getGetAccountMethod = AdminServiceGrpc.getGetAccountMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getGetAccountMethod = AdminServiceGrpc.getGetAccountMethod) == null) {
          AdminServiceGrpc.getGetAccountMethod = getGetAccountMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.GetAccountRequest, dev.userharbor.v1.GetAccountResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetAccount"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.GetAccountRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.GetAccountResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("GetAccount"))
              .build();
        }
      }
    }
    return getGetAccountMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.ListAccountsRequest,
      dev.userharbor.v1.ListAccountsResponse> getListAccountsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListAccounts",
      requestType = dev.userharbor.v1.ListAccountsRequest.class,
      responseType = dev.userharbor.v1.ListAccountsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.ListAccountsRequest,
      dev.userharbor.v1.ListAccountsResponse> getListAccountsMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.ListAccountsRequest, dev.userharbor.v1.ListAccountsResponse> getListAccountsMethod;
    if ((getListAccountsMethod = AdminServiceGrpc.getListAccountsMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getListAccountsMethod = AdminServiceGrpc.getListAccountsMethod) == null) {
          AdminServiceGrpc.getListAccountsMethod = getListAccountsMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.ListAccountsRequest, dev.userharbor.v1.ListAccountsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListAccounts"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ListAccountsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ListAccountsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ListAccounts"))
              .build();
        }
      }
    }
    return getListAccountsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.DisableAccountRequest,
      dev.userharbor.v1.DisableAccountResponse> getDisableAccountMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DisableAccount",
      requestType = dev.userharbor.v1.DisableAccountRequest.class,
      responseType = dev.userharbor.v1.DisableAccountResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.DisableAccountRequest,
      dev.userharbor.v1.DisableAccountResponse> getDisableAccountMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.DisableAccountRequest, dev.userharbor.v1.DisableAccountResponse> getDisableAccountMethod;
    if ((getDisableAccountMethod = AdminServiceGrpc.getDisableAccountMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getDisableAccountMethod = AdminServiceGrpc.getDisableAccountMethod) == null) {
          AdminServiceGrpc.getDisableAccountMethod = getDisableAccountMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.DisableAccountRequest, dev.userharbor.v1.DisableAccountResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DisableAccount"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.DisableAccountRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.DisableAccountResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("DisableAccount"))
              .build();
        }
      }
    }
    return getDisableAccountMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.EnableAccountRequest,
      dev.userharbor.v1.EnableAccountResponse> getEnableAccountMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "EnableAccount",
      requestType = dev.userharbor.v1.EnableAccountRequest.class,
      responseType = dev.userharbor.v1.EnableAccountResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.EnableAccountRequest,
      dev.userharbor.v1.EnableAccountResponse> getEnableAccountMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.EnableAccountRequest, dev.userharbor.v1.EnableAccountResponse> getEnableAccountMethod;
    if ((getEnableAccountMethod = AdminServiceGrpc.getEnableAccountMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getEnableAccountMethod = AdminServiceGrpc.getEnableAccountMethod) == null) {
          AdminServiceGrpc.getEnableAccountMethod = getEnableAccountMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.EnableAccountRequest, dev.userharbor.v1.EnableAccountResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "EnableAccount"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.EnableAccountRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.EnableAccountResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("EnableAccount"))
              .build();
        }
      }
    }
    return getEnableAccountMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.ListAccountSessionsRequest,
      dev.userharbor.v1.ListAccountSessionsResponse> getListAccountSessionsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListAccountSessions",
      requestType = dev.userharbor.v1.ListAccountSessionsRequest.class,
      responseType = dev.userharbor.v1.ListAccountSessionsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.ListAccountSessionsRequest,
      dev.userharbor.v1.ListAccountSessionsResponse> getListAccountSessionsMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.ListAccountSessionsRequest, dev.userharbor.v1.ListAccountSessionsResponse> getListAccountSessionsMethod;
    if ((getListAccountSessionsMethod = AdminServiceGrpc.getListAccountSessionsMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getListAccountSessionsMethod = AdminServiceGrpc.getListAccountSessionsMethod) == null) {
          AdminServiceGrpc.getListAccountSessionsMethod = getListAccountSessionsMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.ListAccountSessionsRequest, dev.userharbor.v1.ListAccountSessionsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListAccountSessions"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ListAccountSessionsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.ListAccountSessionsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ListAccountSessions"))
              .build();
        }
      }
    }
    return getListAccountSessionsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.RevokeAccountSessionsRequest,
      dev.userharbor.v1.RevokeAccountSessionsResponse> getRevokeAccountSessionsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RevokeAccountSessions",
      requestType = dev.userharbor.v1.RevokeAccountSessionsRequest.class,
      responseType = dev.userharbor.v1.RevokeAccountSessionsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.RevokeAccountSessionsRequest,
      dev.userharbor.v1.RevokeAccountSessionsResponse> getRevokeAccountSessionsMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.RevokeAccountSessionsRequest, dev.userharbor.v1.RevokeAccountSessionsResponse> getRevokeAccountSessionsMethod;
    if ((getRevokeAccountSessionsMethod = AdminServiceGrpc.getRevokeAccountSessionsMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getRevokeAccountSessionsMethod = AdminServiceGrpc.getRevokeAccountSessionsMethod) == null) {
          AdminServiceGrpc.getRevokeAccountSessionsMethod = getRevokeAccountSessionsMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.RevokeAccountSessionsRequest, dev.userharbor.v1.RevokeAccountSessionsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RevokeAccountSessions"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.RevokeAccountSessionsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.RevokeAccountSessionsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("RevokeAccountSessions"))
              .build();
        }
      }
    }
    return getRevokeAccountSessionsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.DeleteAccountAsAdminRequest,
      dev.userharbor.v1.DeleteAccountAsAdminResponse> getDeleteAccountAsAdminMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteAccountAsAdmin",
      requestType = dev.userharbor.v1.DeleteAccountAsAdminRequest.class,
      responseType = dev.userharbor.v1.DeleteAccountAsAdminResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.DeleteAccountAsAdminRequest,
      dev.userharbor.v1.DeleteAccountAsAdminResponse> getDeleteAccountAsAdminMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.DeleteAccountAsAdminRequest, dev.userharbor.v1.DeleteAccountAsAdminResponse> getDeleteAccountAsAdminMethod;
    if ((getDeleteAccountAsAdminMethod = AdminServiceGrpc.getDeleteAccountAsAdminMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getDeleteAccountAsAdminMethod = AdminServiceGrpc.getDeleteAccountAsAdminMethod) == null) {
          AdminServiceGrpc.getDeleteAccountAsAdminMethod = getDeleteAccountAsAdminMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.DeleteAccountAsAdminRequest, dev.userharbor.v1.DeleteAccountAsAdminResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteAccountAsAdmin"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.DeleteAccountAsAdminRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.DeleteAccountAsAdminResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("DeleteAccountAsAdmin"))
              .build();
        }
      }
    }
    return getDeleteAccountAsAdminMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.userharbor.v1.MarkEmailVerifiedRequest,
      dev.userharbor.v1.MarkEmailVerifiedResponse> getMarkEmailVerifiedMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "MarkEmailVerified",
      requestType = dev.userharbor.v1.MarkEmailVerifiedRequest.class,
      responseType = dev.userharbor.v1.MarkEmailVerifiedResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.userharbor.v1.MarkEmailVerifiedRequest,
      dev.userharbor.v1.MarkEmailVerifiedResponse> getMarkEmailVerifiedMethod() {
    io.grpc.MethodDescriptor<dev.userharbor.v1.MarkEmailVerifiedRequest, dev.userharbor.v1.MarkEmailVerifiedResponse> getMarkEmailVerifiedMethod;
    if ((getMarkEmailVerifiedMethod = AdminServiceGrpc.getMarkEmailVerifiedMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getMarkEmailVerifiedMethod = AdminServiceGrpc.getMarkEmailVerifiedMethod) == null) {
          AdminServiceGrpc.getMarkEmailVerifiedMethod = getMarkEmailVerifiedMethod =
              io.grpc.MethodDescriptor.<dev.userharbor.v1.MarkEmailVerifiedRequest, dev.userharbor.v1.MarkEmailVerifiedResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "MarkEmailVerified"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.MarkEmailVerifiedRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.userharbor.v1.MarkEmailVerifiedResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("MarkEmailVerified"))
              .build();
        }
      }
    }
    return getMarkEmailVerifiedMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static AdminServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceStub>() {
        @java.lang.Override
        public AdminServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceStub(channel, callOptions);
        }
      };
    return AdminServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static AdminServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingV2Stub>() {
        @java.lang.Override
        public AdminServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return AdminServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static AdminServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingStub>() {
        @java.lang.Override
        public AdminServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceBlockingStub(channel, callOptions);
        }
      };
    return AdminServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static AdminServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceFutureStub>() {
        @java.lang.Override
        public AdminServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceFutureStub(channel, callOptions);
        }
      };
    return AdminServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * AdminService: operators' view of accounts (admin-scoped API keys only).
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * GetAccount finds one account by id, username or email.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID (no lookup set, or a malformed
     * id) | INVALID_USERNAME | INVALID_EMAIL; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    default void getAccount(dev.userharbor.v1.GetAccountRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.GetAccountResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetAccountMethod(), responseObserver);
    }

    /**
     * <pre>
     * ListAccounts pages through accounts in id order. Ids are UUIDv7, so that is
     * creation order, and a page token resumes after the last id it saw: accounts
     * created between pages are never lost and none is repeated.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_SIZE (negative) | INVALID_PAGE_TOKEN
     * (not issued by this service, altered, or issued for other filters) |
     * INVALID_FILTER (a create_time filter out of the timestamp range).
     * </pre>
     */
    default void listAccounts(dev.userharbor.v1.ListAccountsRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ListAccountsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListAccountsMethod(), responseObserver);
    }

    /**
     * <pre>
     * DisableAccount stops an account from being used: Login then fails with
     * FAILED_PRECONDITION ACCOUNT_DISABLED (said only after a correct password),
     * every session ends at once and its verification and reset tokens stop
     * working. Disabling a disabled account is OK and changes nothing.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    default void disableAccount(dev.userharbor.v1.DisableAccountRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.DisableAccountResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDisableAccountMethod(), responseObserver);
    }

    /**
     * <pre>
     * EnableAccount lets a disabled account log in again (sessions ended by the
     * disable stay ended). Enabling an enabled account is OK.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    default void enableAccount(dev.userharbor.v1.EnableAccountRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.EnableAccountResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getEnableAccountMethod(), responseObserver);
    }

    /**
     * <pre>
     * ListAccountSessions lists the account's live sessions, newest first.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    default void listAccountSessions(dev.userharbor.v1.ListAccountSessionsRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ListAccountSessionsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListAccountSessionsMethod(), responseObserver);
    }

    /**
     * <pre>
     * RevokeAccountSessions ends every session of the account (signs it out
     * everywhere); the account can log in again.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    default void revokeAccountSessions(dev.userharbor.v1.RevokeAccountSessionsRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.RevokeAccountSessionsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRevokeAccountSessionsMethod(), responseObserver);
    }

    /**
     * <pre>
     * DeleteAccountAsAdmin removes the account, its username and email claims,
     * its sessions and its tokens in one transaction. The id is never reused:
     * the same username registered again gets a new id.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    default void deleteAccountAsAdmin(dev.userharbor.v1.DeleteAccountAsAdminRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.DeleteAccountAsAdminResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteAccountAsAdminMethod(), responseObserver);
    }

    /**
     * <pre>
     * MarkEmailVerified marks the account's current email address verified (say,
     * after support confirmed it another way). Already verified: OK.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    default void markEmailVerified(dev.userharbor.v1.MarkEmailVerifiedRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.MarkEmailVerifiedResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getMarkEmailVerifiedMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service AdminService.
   * <pre>
   * AdminService: operators' view of accounts (admin-scoped API keys only).
   * </pre>
   */
  public static abstract class AdminServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return AdminServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service AdminService.
   * <pre>
   * AdminService: operators' view of accounts (admin-scoped API keys only).
   * </pre>
   */
  public static final class AdminServiceStub
      extends io.grpc.stub.AbstractAsyncStub<AdminServiceStub> {
    private AdminServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * GetAccount finds one account by id, username or email.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID (no lookup set, or a malformed
     * id) | INVALID_USERNAME | INVALID_EMAIL; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public void getAccount(dev.userharbor.v1.GetAccountRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.GetAccountResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetAccountMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * ListAccounts pages through accounts in id order. Ids are UUIDv7, so that is
     * creation order, and a page token resumes after the last id it saw: accounts
     * created between pages are never lost and none is repeated.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_SIZE (negative) | INVALID_PAGE_TOKEN
     * (not issued by this service, altered, or issued for other filters) |
     * INVALID_FILTER (a create_time filter out of the timestamp range).
     * </pre>
     */
    public void listAccounts(dev.userharbor.v1.ListAccountsRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ListAccountsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListAccountsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * DisableAccount stops an account from being used: Login then fails with
     * FAILED_PRECONDITION ACCOUNT_DISABLED (said only after a correct password),
     * every session ends at once and its verification and reset tokens stop
     * working. Disabling a disabled account is OK and changes nothing.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public void disableAccount(dev.userharbor.v1.DisableAccountRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.DisableAccountResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDisableAccountMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * EnableAccount lets a disabled account log in again (sessions ended by the
     * disable stay ended). Enabling an enabled account is OK.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public void enableAccount(dev.userharbor.v1.EnableAccountRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.EnableAccountResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getEnableAccountMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * ListAccountSessions lists the account's live sessions, newest first.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public void listAccountSessions(dev.userharbor.v1.ListAccountSessionsRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.ListAccountSessionsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListAccountSessionsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * RevokeAccountSessions ends every session of the account (signs it out
     * everywhere); the account can log in again.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public void revokeAccountSessions(dev.userharbor.v1.RevokeAccountSessionsRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.RevokeAccountSessionsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRevokeAccountSessionsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * DeleteAccountAsAdmin removes the account, its username and email claims,
     * its sessions and its tokens in one transaction. The id is never reused:
     * the same username registered again gets a new id.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public void deleteAccountAsAdmin(dev.userharbor.v1.DeleteAccountAsAdminRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.DeleteAccountAsAdminResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteAccountAsAdminMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * MarkEmailVerified marks the account's current email address verified (say,
     * after support confirmed it another way). Already verified: OK.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public void markEmailVerified(dev.userharbor.v1.MarkEmailVerifiedRequest request,
        io.grpc.stub.StreamObserver<dev.userharbor.v1.MarkEmailVerifiedResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getMarkEmailVerifiedMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service AdminService.
   * <pre>
   * AdminService: operators' view of accounts (admin-scoped API keys only).
   * </pre>
   */
  public static final class AdminServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<AdminServiceBlockingV2Stub> {
    private AdminServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * GetAccount finds one account by id, username or email.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID (no lookup set, or a malformed
     * id) | INVALID_USERNAME | INVALID_EMAIL; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public dev.userharbor.v1.GetAccountResponse getAccount(dev.userharbor.v1.GetAccountRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetAccountMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListAccounts pages through accounts in id order. Ids are UUIDv7, so that is
     * creation order, and a page token resumes after the last id it saw: accounts
     * created between pages are never lost and none is repeated.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_SIZE (negative) | INVALID_PAGE_TOKEN
     * (not issued by this service, altered, or issued for other filters) |
     * INVALID_FILTER (a create_time filter out of the timestamp range).
     * </pre>
     */
    public dev.userharbor.v1.ListAccountsResponse listAccounts(dev.userharbor.v1.ListAccountsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListAccountsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * DisableAccount stops an account from being used: Login then fails with
     * FAILED_PRECONDITION ACCOUNT_DISABLED (said only after a correct password),
     * every session ends at once and its verification and reset tokens stop
     * working. Disabling a disabled account is OK and changes nothing.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public dev.userharbor.v1.DisableAccountResponse disableAccount(dev.userharbor.v1.DisableAccountRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDisableAccountMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * EnableAccount lets a disabled account log in again (sessions ended by the
     * disable stay ended). Enabling an enabled account is OK.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public dev.userharbor.v1.EnableAccountResponse enableAccount(dev.userharbor.v1.EnableAccountRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getEnableAccountMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListAccountSessions lists the account's live sessions, newest first.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public dev.userharbor.v1.ListAccountSessionsResponse listAccountSessions(dev.userharbor.v1.ListAccountSessionsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListAccountSessionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * RevokeAccountSessions ends every session of the account (signs it out
     * everywhere); the account can log in again.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public dev.userharbor.v1.RevokeAccountSessionsResponse revokeAccountSessions(dev.userharbor.v1.RevokeAccountSessionsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRevokeAccountSessionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * DeleteAccountAsAdmin removes the account, its username and email claims,
     * its sessions and its tokens in one transaction. The id is never reused:
     * the same username registered again gets a new id.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public dev.userharbor.v1.DeleteAccountAsAdminResponse deleteAccountAsAdmin(dev.userharbor.v1.DeleteAccountAsAdminRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeleteAccountAsAdminMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * MarkEmailVerified marks the account's current email address verified (say,
     * after support confirmed it another way). Already verified: OK.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public dev.userharbor.v1.MarkEmailVerifiedResponse markEmailVerified(dev.userharbor.v1.MarkEmailVerifiedRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getMarkEmailVerifiedMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service AdminService.
   * <pre>
   * AdminService: operators' view of accounts (admin-scoped API keys only).
   * </pre>
   */
  public static final class AdminServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<AdminServiceBlockingStub> {
    private AdminServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * GetAccount finds one account by id, username or email.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID (no lookup set, or a malformed
     * id) | INVALID_USERNAME | INVALID_EMAIL; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public dev.userharbor.v1.GetAccountResponse getAccount(dev.userharbor.v1.GetAccountRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetAccountMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListAccounts pages through accounts in id order. Ids are UUIDv7, so that is
     * creation order, and a page token resumes after the last id it saw: accounts
     * created between pages are never lost and none is repeated.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_SIZE (negative) | INVALID_PAGE_TOKEN
     * (not issued by this service, altered, or issued for other filters) |
     * INVALID_FILTER (a create_time filter out of the timestamp range).
     * </pre>
     */
    public dev.userharbor.v1.ListAccountsResponse listAccounts(dev.userharbor.v1.ListAccountsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListAccountsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * DisableAccount stops an account from being used: Login then fails with
     * FAILED_PRECONDITION ACCOUNT_DISABLED (said only after a correct password),
     * every session ends at once and its verification and reset tokens stop
     * working. Disabling a disabled account is OK and changes nothing.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public dev.userharbor.v1.DisableAccountResponse disableAccount(dev.userharbor.v1.DisableAccountRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDisableAccountMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * EnableAccount lets a disabled account log in again (sessions ended by the
     * disable stay ended). Enabling an enabled account is OK.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public dev.userharbor.v1.EnableAccountResponse enableAccount(dev.userharbor.v1.EnableAccountRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getEnableAccountMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListAccountSessions lists the account's live sessions, newest first.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public dev.userharbor.v1.ListAccountSessionsResponse listAccountSessions(dev.userharbor.v1.ListAccountSessionsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListAccountSessionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * RevokeAccountSessions ends every session of the account (signs it out
     * everywhere); the account can log in again.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public dev.userharbor.v1.RevokeAccountSessionsResponse revokeAccountSessions(dev.userharbor.v1.RevokeAccountSessionsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRevokeAccountSessionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * DeleteAccountAsAdmin removes the account, its username and email claims,
     * its sessions and its tokens in one transaction. The id is never reused:
     * the same username registered again gets a new id.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public dev.userharbor.v1.DeleteAccountAsAdminResponse deleteAccountAsAdmin(dev.userharbor.v1.DeleteAccountAsAdminRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteAccountAsAdminMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * MarkEmailVerified marks the account's current email address verified (say,
     * after support confirmed it another way). Already verified: OK.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public dev.userharbor.v1.MarkEmailVerifiedResponse markEmailVerified(dev.userharbor.v1.MarkEmailVerifiedRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getMarkEmailVerifiedMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service AdminService.
   * <pre>
   * AdminService: operators' view of accounts (admin-scoped API keys only).
   * </pre>
   */
  public static final class AdminServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<AdminServiceFutureStub> {
    private AdminServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * GetAccount finds one account by id, username or email.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID (no lookup set, or a malformed
     * id) | INVALID_USERNAME | INVALID_EMAIL; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.GetAccountResponse> getAccount(
        dev.userharbor.v1.GetAccountRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetAccountMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * ListAccounts pages through accounts in id order. Ids are UUIDv7, so that is
     * creation order, and a page token resumes after the last id it saw: accounts
     * created between pages are never lost and none is repeated.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_SIZE (negative) | INVALID_PAGE_TOKEN
     * (not issued by this service, altered, or issued for other filters) |
     * INVALID_FILTER (a create_time filter out of the timestamp range).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.ListAccountsResponse> listAccounts(
        dev.userharbor.v1.ListAccountsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListAccountsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * DisableAccount stops an account from being used: Login then fails with
     * FAILED_PRECONDITION ACCOUNT_DISABLED (said only after a correct password),
     * every session ends at once and its verification and reset tokens stop
     * working. Disabling a disabled account is OK and changes nothing.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.DisableAccountResponse> disableAccount(
        dev.userharbor.v1.DisableAccountRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDisableAccountMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * EnableAccount lets a disabled account log in again (sessions ended by the
     * disable stay ended). Enabling an enabled account is OK.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.EnableAccountResponse> enableAccount(
        dev.userharbor.v1.EnableAccountRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getEnableAccountMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * ListAccountSessions lists the account's live sessions, newest first.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.ListAccountSessionsResponse> listAccountSessions(
        dev.userharbor.v1.ListAccountSessionsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListAccountSessionsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * RevokeAccountSessions ends every session of the account (signs it out
     * everywhere); the account can log in again.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.RevokeAccountSessionsResponse> revokeAccountSessions(
        dev.userharbor.v1.RevokeAccountSessionsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRevokeAccountSessionsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * DeleteAccountAsAdmin removes the account, its username and email claims,
     * its sessions and its tokens in one transaction. The id is never reused:
     * the same username registered again gets a new id.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.DeleteAccountAsAdminResponse> deleteAccountAsAdmin(
        dev.userharbor.v1.DeleteAccountAsAdminRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteAccountAsAdminMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * MarkEmailVerified marks the account's current email address verified (say,
     * after support confirmed it another way). Already verified: OK.
     * Errors: INVALID_ARGUMENT INVALID_ACCOUNT_ID; NOT_FOUND ACCOUNT_NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.userharbor.v1.MarkEmailVerifiedResponse> markEmailVerified(
        dev.userharbor.v1.MarkEmailVerifiedRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getMarkEmailVerifiedMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_GET_ACCOUNT = 0;
  private static final int METHODID_LIST_ACCOUNTS = 1;
  private static final int METHODID_DISABLE_ACCOUNT = 2;
  private static final int METHODID_ENABLE_ACCOUNT = 3;
  private static final int METHODID_LIST_ACCOUNT_SESSIONS = 4;
  private static final int METHODID_REVOKE_ACCOUNT_SESSIONS = 5;
  private static final int METHODID_DELETE_ACCOUNT_AS_ADMIN = 6;
  private static final int METHODID_MARK_EMAIL_VERIFIED = 7;

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
        case METHODID_GET_ACCOUNT:
          serviceImpl.getAccount((dev.userharbor.v1.GetAccountRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.GetAccountResponse>) responseObserver);
          break;
        case METHODID_LIST_ACCOUNTS:
          serviceImpl.listAccounts((dev.userharbor.v1.ListAccountsRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.ListAccountsResponse>) responseObserver);
          break;
        case METHODID_DISABLE_ACCOUNT:
          serviceImpl.disableAccount((dev.userharbor.v1.DisableAccountRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.DisableAccountResponse>) responseObserver);
          break;
        case METHODID_ENABLE_ACCOUNT:
          serviceImpl.enableAccount((dev.userharbor.v1.EnableAccountRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.EnableAccountResponse>) responseObserver);
          break;
        case METHODID_LIST_ACCOUNT_SESSIONS:
          serviceImpl.listAccountSessions((dev.userharbor.v1.ListAccountSessionsRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.ListAccountSessionsResponse>) responseObserver);
          break;
        case METHODID_REVOKE_ACCOUNT_SESSIONS:
          serviceImpl.revokeAccountSessions((dev.userharbor.v1.RevokeAccountSessionsRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.RevokeAccountSessionsResponse>) responseObserver);
          break;
        case METHODID_DELETE_ACCOUNT_AS_ADMIN:
          serviceImpl.deleteAccountAsAdmin((dev.userharbor.v1.DeleteAccountAsAdminRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.DeleteAccountAsAdminResponse>) responseObserver);
          break;
        case METHODID_MARK_EMAIL_VERIFIED:
          serviceImpl.markEmailVerified((dev.userharbor.v1.MarkEmailVerifiedRequest) request,
              (io.grpc.stub.StreamObserver<dev.userharbor.v1.MarkEmailVerifiedResponse>) responseObserver);
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
          getGetAccountMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.GetAccountRequest,
              dev.userharbor.v1.GetAccountResponse>(
                service, METHODID_GET_ACCOUNT)))
        .addMethod(
          getListAccountsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.ListAccountsRequest,
              dev.userharbor.v1.ListAccountsResponse>(
                service, METHODID_LIST_ACCOUNTS)))
        .addMethod(
          getDisableAccountMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.DisableAccountRequest,
              dev.userharbor.v1.DisableAccountResponse>(
                service, METHODID_DISABLE_ACCOUNT)))
        .addMethod(
          getEnableAccountMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.EnableAccountRequest,
              dev.userharbor.v1.EnableAccountResponse>(
                service, METHODID_ENABLE_ACCOUNT)))
        .addMethod(
          getListAccountSessionsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.ListAccountSessionsRequest,
              dev.userharbor.v1.ListAccountSessionsResponse>(
                service, METHODID_LIST_ACCOUNT_SESSIONS)))
        .addMethod(
          getRevokeAccountSessionsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.RevokeAccountSessionsRequest,
              dev.userharbor.v1.RevokeAccountSessionsResponse>(
                service, METHODID_REVOKE_ACCOUNT_SESSIONS)))
        .addMethod(
          getDeleteAccountAsAdminMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.DeleteAccountAsAdminRequest,
              dev.userharbor.v1.DeleteAccountAsAdminResponse>(
                service, METHODID_DELETE_ACCOUNT_AS_ADMIN)))
        .addMethod(
          getMarkEmailVerifiedMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.userharbor.v1.MarkEmailVerifiedRequest,
              dev.userharbor.v1.MarkEmailVerifiedResponse>(
                service, METHODID_MARK_EMAIL_VERIFIED)))
        .build();
  }

  private static abstract class AdminServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    AdminServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.userharbor.v1.AdminProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("AdminService");
    }
  }

  private static final class AdminServiceFileDescriptorSupplier
      extends AdminServiceBaseDescriptorSupplier {
    AdminServiceFileDescriptorSupplier() {}
  }

  private static final class AdminServiceMethodDescriptorSupplier
      extends AdminServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    AdminServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (AdminServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new AdminServiceFileDescriptorSupplier())
              .addMethod(getGetAccountMethod())
              .addMethod(getListAccountsMethod())
              .addMethod(getDisableAccountMethod())
              .addMethod(getEnableAccountMethod())
              .addMethod(getListAccountSessionsMethod())
              .addMethod(getRevokeAccountSessionsMethod())
              .addMethod(getDeleteAccountAsAdminMethod())
              .addMethod(getMarkEmailVerifiedMethod())
              .build();
        }
      }
    }
    return result;
  }
}
