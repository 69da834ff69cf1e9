# Why the PLATC_FUZZ build (clang) did not compile: Debian's ANTLR 4.9 runtime headers are not
# valid C++ for clang. misc/InterpreterDataReader.h defines `InterpreterData() {}`, which
# default-initialises a dfa::Vocabulary, whose defaulted constructor is deleted because the class
# holds `const std::vector<std::string>` members without initialisers (libstdc++'s vector is not
# const-default-constructible). GCC accepts it; clang 14 rejects it with "call to implicitly-deleted
# default constructor of 'dfa::Vocabulary'" in every file that includes antlr4-runtime.h (the
# generated parser and compiler/parse/). -w cannot silence an error, and the header includes its
# siblings with quotes, so one file cannot be shadowed by an earlier include directory.
#
# The fix: a copy of the runtime's headers in the build tree with that one constructor defaulted
# (so it is deleted instead of ill-formed; nothing in platc or the runtime's inline code builds an
# InterpreterData), used as ANTLR4_INCLUDE_DIR for clang builds only. The runtime library itself is
# unchanged: the constructor is inline and never emitted.
function(platc_antlr4_clang_headers out_var)
  set(copy ${CMAKE_BINARY_DIR}/antlr4-clang/antlr4-runtime)
  set(header ${copy}/misc/InterpreterDataReader.h)
  file(COPY ${ANTLR4_INCLUDE_DIR}/ DESTINATION ${copy})
  file(READ ${header} text)
  string(REPLACE "InterpreterData() {};" "InterpreterData() = default;  // platc: see cmake/antlr4_clang.cmake"
                 patched "${text}")
  if(patched STREQUAL text AND NOT text MATCHES "platc: see cmake/antlr4_clang.cmake")
    message(WARNING "cmake/antlr4_clang.cmake: ${ANTLR4_INCLUDE_DIR}/misc/InterpreterDataReader.h has changed; "
                    "using the runtime's headers unpatched")
    set(${out_var} ${ANTLR4_INCLUDE_DIR} PARENT_SCOPE)
    return()
  endif()
  file(WRITE ${header} "${patched}")
  set(${out_var} ${copy} PARENT_SCOPE)
endfunction()
