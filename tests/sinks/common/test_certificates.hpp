#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace lc::testing {

// A CA, a server certificate for 127.0.0.1 and a client certificate, made with the openssl CLI.
class TestCertificates {
 public:
  explicit TestCertificates(const std::string& ca_name = "lc-test-ca") {
    char pattern[] = "/tmp/lc-tls-XXXXXX";
    dir_ = ::mkdtemp(pattern);
    run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=" +
        ca_name + " -keyout ca-key.pem -out ca.pem");
    issue("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
    issue("client", "/CN=lc-client", "extendedKeyUsage=clientAuth");
  }
  ~TestCertificates() { std::filesystem::remove_all(dir_); }
  std::string file(const std::string& name) const { return dir_ + "/" + name; }

 private:
  void run(const std::string& command) {
    const std::string full = "cd '" + dir_ + "' && " + command + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(full.c_str()), 0) << full;
  }
  void issue(const std::string& name, const std::string& subject, const std::string& extension) {
    run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj " + subject +
        " -keyout " + name + "-key.pem -out " + name + ".csr");
    run("printf '" + extension + "\\n' > " + name + ".ext && openssl x509 -req -in " + name +
        ".csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile " + name +
        ".ext -out " + name + "-cert.pem");
  }
  std::string dir_;
};

}  // namespace lc::testing
