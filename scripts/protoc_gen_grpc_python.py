"""protoc plugin wrapping grpcio-tools' built-in gRPC Python generator.

grpcio-tools compiles the generator into its own protoc (`grpc_tools.protoc`, flag
`--grpc_python_out`) instead of shipping a `protoc-gen-*` executable. This plugin reads the
CodeGeneratorRequest that buf sends, hands the already-compiled descriptors to that protoc via
`--descriptor_set_in` (so nothing is re-parsed from .proto sources and imports resolve exactly as
buf resolved them), and returns the files it wrote as a CodeGeneratorResponse.
"""

import os
import sys
import tempfile

from google.protobuf import descriptor_pb2
from google.protobuf.compiler import plugin_pb2
from grpc_tools import protoc


def main() -> int:
    request = plugin_pb2.CodeGeneratorRequest.FromString(sys.stdin.buffer.read())
    response = plugin_pb2.CodeGeneratorResponse(
        supported_features=plugin_pb2.CodeGeneratorResponse.FEATURE_PROTO3_OPTIONAL
    )
    with tempfile.TemporaryDirectory(prefix="protoc-gen-grpc-python-") as tmp:
        descriptor_set = os.path.join(tmp, "request.binpb")
        with open(descriptor_set, "wb") as f:
            f.write(descriptor_pb2.FileDescriptorSet(file=request.proto_file).SerializeToString())
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        args = ["grpc_tools.protoc", f"--descriptor_set_in={descriptor_set}", f"--grpc_python_out={out}"]
        if request.parameter:
            args.append(f"--grpc_python_opt={request.parameter}")
        args.extend(request.file_to_generate)
        # protoc writes its diagnostics to our stderr, which buf shows.
        if protoc.main(args) != 0:
            response.error = "grpc_tools.protoc failed (see messages above)"
        else:
            for dirpath, _, filenames in os.walk(out):
                for name in filenames:
                    path = os.path.join(dirpath, name)
                    with open(path, encoding="utf-8") as f:
                        response.file.add(name=os.path.relpath(path, out).replace(os.sep, "/"), content=f.read())
    # Stable order regardless of directory listing order.
    files = sorted(response.file, key=lambda f: f.name)
    del response.file[:]
    response.file.extend(files)
    sys.stdout.buffer.write(response.SerializeToString())
    return 0


if __name__ == "__main__":
    sys.exit(main())
