complete -c dbsh -s h -l host -d 'Server host (or Unix-socket directory)' -r
complete -c dbsh -s p -l port -d 'Server port' -r
complete -c dbsh -s U -l username -d 'User name' -r
complete -c dbsh -s d -l dbname -d 'Database name' -r
complete -c dbsh -l defaults-file -d 'MySQL: read connection options only from this option file (instead of ~/.my.cnf etc.)' -r -F
complete -c dbsh -l driver -d 'Which backend the flags above mean when no URL says so (default postgres)' -r -f -a "postgres\t''
mysql\t''
sqlite\t''"
complete -c dbsh -s c -l command -d 'Run SQL (or a backslash command) and exit; repeatable' -r
complete -c dbsh -s f -l file -d 'Run a script and exit' -r -F
complete -c dbsh -s v -l set -l variable -d 'Set a variable (psql\'s -v): used as :NAME in SQL; repeatable' -r
complete -c dbsh -l timeout -d 'Cancel statements that run longer than this many seconds' -r
complete -c dbsh -l format -d 'Output format' -r -f -a "table\t''
vertical\t''
csv\t''
tsv\t''
json\t''
jsonl\t''
markdown\t''
unaligned\t''"
complete -c dbsh -l suggest -d 'Print completion candidates for SQL (TEXT<TAB>KIND per line) and exit' -r
complete -c dbsh -l cursor -d 'Cursor position (in characters) for --suggest; default: the end' -r
complete -c dbsh -l config -d 'Config file (default: $DBSH_CONFIG or ~/.config/dbsh/config.toml)' -r -F
complete -c dbsh -l theme -d 'Syntax-highlighting theme' -r
complete -c dbsh -l completions -d 'Print a completion script for SHELL (bash, zsh, fish, elvish, powershell) and exit' -r -f -a "bash\t''
elvish\t''
fish\t''
powershell\t''
zsh\t''"
complete -c dbsh -s ? -l help -d 'Print help'
complete -c dbsh -s W -l password -d 'Ask for a password before connecting'
complete -c dbsh -l continue-on-error -d 'Keep going after an error in -c/-f/stdin input (the exit code still reports it)'
complete -c dbsh -s q -l quiet -d 'No status messages (Expanded display is on., command tags); results only'
complete -c dbsh -l read-only -d 'The session cannot change data (enforced by the server, not by dbsh)'
complete -c dbsh -l no-destructive -d 'Refuse destructive statements (DROP, TRUNCATE, DELETE/UPDATE without WHERE) instead of asking'
complete -c dbsh -s x -l expanded -d 'Vertical output (same as --format vertical)'
complete -c dbsh -l list-dsn -d 'List the saved connections of the config file and exit'
complete -c dbsh -s l -l list -d 'List the server\'s databases and exit'
complete -c dbsh -l vi -d 'Vi editing mode'
complete -c dbsh -l no-color -d 'No colours'
complete -c dbsh -l list-themes -d 'List the syntax-highlighting themes (built-in and your own) and exit'
complete -c dbsh -s V -l version -d 'Print version'
complete -c dbsh -f -a "(dbsh --list-dsn 2>/dev/null | string split -f1 \t)" -d 'saved connection'
