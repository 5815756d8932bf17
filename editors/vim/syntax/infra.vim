" Vim syntax file
" Language:    infrac (.infra): infrastructure as code for AWS
" Maintainer:  the infrac project (editors/vim in its repository)
"
" Names take their meaning from where they stand (`vpc main {` is a kind,
" `vpc = main` an attribute), so kinds, statements and attributes are
" matches on their position, not keywords.
if exists("b:current_syntax")
  finish
endif

syn keyword infraDecl stack param output
syn keyword infraBool true false

" Later matches win over earlier ones that start at the same place.
syn match infraNumber "\<\d\+\>"
syn match infraDuration "\<\d\+[smhd]\>"
syn match infraSize "\<\d\+[KMGT]iB\>"
syn match infraPorts "\<\d\+\.\.\d\+\>"
syn match infraIP "\<\d\+\(\.\d\+\)\{3}\>"
syn match infraCidr "\<\d\+\(\.\d\+\)\{3}/\d\+\>"

syn match infraWord "\<\(tcp\|udp\|icmp\|all\|http\|https\|managed\|internet_facing\|internal\|postgres\|mysql\|mariadb\)\>"
syn match infraFrom "\<\(from\|to\)\>"
syn match infraArrow "->"
syn match infraFunc "\<\(ssm\|dns\|cidr\)\ze("
syn match infraField "\.\zs\h\w*"

syn match infraStmt "^\s*\zs\(ingress\|egress\|route\|listener\|port\|container\|health_check\|env\|tags\|load_balancer\)\>"
syn match infraAttr "\<\h\w*\ze\s*="
syn match infraType ":\s*\zs\(string\|int\|bool\|secret\|cidr\)\>"
syn match infraKind "\<\(vpc\|subnet\|internet_gateway\|nat_gateway\|route_table\|security_group\|role\|instance\|elastic_ip\|database\|zone\|certificate\|target_group\|load_balancer\|record\|registry\|cluster\|log_group\|task\|service\)\ze\s\+\h\w*\s*{"

syn region infraString start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ oneline contains=infraEscape,infraInterp
syn match infraEscape contained +\\[\\"nt$]+
syn region infraInterp contained matchgroup=infraInterpDelim start="\${" end="}" contains=infraField,infraFunc

syn match infraComment "#.*$" contains=infraTodo,infraIgnore
syn keyword infraTodo contained TODO FIXME XXX NOTE
syn match infraIgnore contained "infrac:ignore\(\s\+[EW]\d\{3}\)\+"

hi def link infraDecl        Keyword
hi def link infraBool        Boolean
hi def link infraNumber      Number
hi def link infraDuration    Number
hi def link infraSize        Number
hi def link infraPorts       Number
hi def link infraIP          Number
hi def link infraCidr        Number
hi def link infraWord        Constant
hi def link infraFrom        Keyword
hi def link infraArrow       Operator
hi def link infraFunc        Function
hi def link infraField       Identifier
hi def link infraStmt        Statement
hi def link infraAttr        Identifier
hi def link infraType        Type
hi def link infraKind        Type
hi def link infraString      String
hi def link infraEscape      SpecialChar
hi def link infraInterpDelim Delimiter
hi def link infraComment     Comment
hi def link infraTodo        Todo
hi def link infraIgnore      SpecialComment

let b:current_syntax = "infra"
