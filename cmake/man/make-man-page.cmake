# cmake -P make-man-page.cmake: one man page from a program's own words (ParkitDocs.cmake runs it).
#   -DHELP2MAN=path -DPROGRAM=path -DOUTPUT=page.1 -DINCLUDE=file.h2m -DKIND=kernel|frontend
#   [-DVERSION=x.y.z (frontend)]
# kernel: the NAME line is the program's --describe summary and model; the body is help2man's
# reading of --help and --version, plus INCLUDE (exit status, environment).
# frontend: `parkit --help`, plus a COMMANDS section with each subcommand's own --help, made here.
# The page is written to a temporary and renamed: a failed run leaves no half page behind.
cmake_minimum_required(VERSION 3.20)
foreach(v HELP2MAN PROGRAM OUTPUT INCLUDE KIND)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "make-man-page.cmake: -D${v}= is missing")
  endif()
endforeach()
get_filename_component(prog_name ${PROGRAM} NAME)
set(tmp ${OUTPUT}.tmp)
get_filename_component(out_dir ${OUTPUT} DIRECTORY)
file(MAKE_DIRECTORY ${out_dir})
set(h2m_args --no-info --section=1 --include=${INCLUDE})

# roff-safe text for a preformatted block: backslashes doubled, no line starting a request
function(roff_verbatim out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

if(KIND STREQUAL "kernel")
  execute_process(COMMAND ${PROGRAM} --describe OUTPUT_VARIABLE json ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${prog_name} --describe exited ${rc}: ${err}")
  endif()
  string(JSON summary ERROR_VARIABLE jerr GET "${json}" summary)
  string(JSON model ERROR_VARIABLE jerr2 GET "${json}" model)
  if(jerr OR jerr2)
    message(FATAL_ERROR "${prog_name} --describe: not the expected JSON (${jerr}${jerr2})")
  endif()
  set(on_omp "OpenMP threads")
  set(on_mpi "MPI ranks")
  set(on_hybrid "MPI ranks of OpenMP threads")
  set(name "${summary}")
  if(DEFINED on_${model})
    string(APPEND name ", on ${on_${model}}")
  endif()
  list(APPEND h2m_args "--name=${name}")
elseif(KIND STREQUAL "frontend")
  # COMMANDS: the subcommands parkit --help lists, each with its own --help (those whose --help is
  # parkit's own: `parkit limits --help` is parkit_limits' help, which has its own page of options)
  execute_process(COMMAND ${PROGRAM} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${prog_name} --help exited ${rc}")
  endif()
  string(REGEX MATCHALL "\n    [a-z][a-z0-9-]*" subs "${help}")
  file(READ ${INCLUDE} h2m)
  string(APPEND h2m "\n[COMMANDS]\n")
  foreach(sub IN LISTS subs)
    string(STRIP "${sub}" sub)
    execute_process(COMMAND ${PROGRAM} ${sub} --help OUTPUT_VARIABLE sub_help ERROR_QUIET RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0 OR NOT sub_help MATCHES "^usage: ${prog_name} ${sub}")
      continue()
    endif()
    roff_verbatim(sub_help "${sub_help}")
    string(APPEND h2m ".SS \"${prog_name} ${sub}\"\n.nf\n${sub_help}.fi\n")
  endforeach()
  set(gen_h2m ${out_dir}/../${prog_name}.h2m) # beside man1/, not in it
  file(WRITE ${gen_h2m} "${h2m}")
  set(h2m_args --no-info --section=1 --include=${gen_h2m}
      "--name=the parkit front end: kernels, their limits, benchmarks and reports")
else()
  message(FATAL_ERROR "make-man-page.cmake: KIND '${KIND}' is neither kernel nor frontend")
endif()

# help2man finds the synopsis after "Usage:" and the options under "Options:"; the kit's programs
# (and argparse) print them in lower case. It runs this wrapper in the program's place.
set(wrapper ${out_dir}/../help2man-run/${prog_name})
string(REPLACE "'" "'\\''" quoted "${PROGRAM}")
file(WRITE ${wrapper} "#!/bin/sh\n# written by make-man-page.cmake: ${prog_name}'s output as help2man reads it\n"
     "out=$('${quoted}' \"$@\") || exit $?\n"
     "printf '%s\\n' \"$out\" | sed -e '1s/^usage:/Usage:/' -e 's/^options:$/Options:/'\n")
file(CHMOD ${wrapper} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
execute_process(COMMAND ${HELP2MAN} ${h2m_args} --output=${tmp} ${wrapper} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT EXISTS ${tmp})
  file(REMOVE ${tmp})
  message(FATAL_ERROR "help2man ${prog_name} failed (${rc}): ${err}")
endif()
file(RENAME ${tmp} ${OUTPUT})
