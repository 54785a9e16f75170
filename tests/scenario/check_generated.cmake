# check_generated.cmake — fails when a file generated from the key table (sim/scenario/scenario_keys.c)
# differs from its committed copy. -DGEN=scenario_keys_gen -DSRC=source dir -DOUT=scratch dir.
file(MAKE_DIRECTORY ${OUT})
execute_process(COMMAND ${GEN} ${SRC} ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "scenario_keys_gen failed (${rc})")
endif()
set(stale "")
foreach(pair "scenario.md=docs/scenario.md" "feverbench-scenario.5=docs/man/feverbench-scenario.5"
        "scenario.schema.json=scenarios/schema/scenario.schema.json"
        "camera.schema.json=scenarios/schema/camera.schema.json")
  string(REPLACE "=" ";" p ${pair})
  list(GET p 0 gen)
  list(GET p 1 committed)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}/${gen} ${SRC}/${committed}
                  RESULT_VARIABLE diff)
  if(NOT diff EQUAL 0)
    string(APPEND stale " ${committed}")
  endif()
endforeach()
if(stale)
  message(FATAL_ERROR "stale generated files:${stale}\n(the key table sim/scenario/scenario_keys.c changed, "
          "or they were edited by hand): run `cmake --build --preset release --target "
          "scenario-format` and commit them")
endif()
message(STATUS "docs/scenario.md, docs/man/feverbench-scenario.5 and scenarios/schema/ match the key table")
