" .infra files are the infrac language.
autocmd BufRead,BufNewFile *.infra setfiletype infra
