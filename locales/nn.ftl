# dugnad: every text a person reads, in Norsk nynorsk.
# Keys are the same in nb.ftl, nn.ftl and en.ftl; `cargo test catalogue` checks it.

## The language, named in itself (the language switch)

language-name = Norsk (nynorsk)

## How dates, times and numbers are written

weekday-monday = måndag
weekday-tuesday = tysdag
weekday-wednesday = onsdag
weekday-thursday = torsdag
weekday-friday = fredag
weekday-saturday = laurdag
weekday-sunday = sundag
month-january = januar
month-february = februar
month-march = mars
month-april = april
month-may = mai
month-june = juni
month-july = juli
month-august = august
month-september = september
month-october = oktober
month-november = november
month-december = desember
written-date = { $day }. { $month } { $year }
written-clock = { $hour }.{ $minute }
written-moment = { $date } kl. { $time }
written-minus = −
written-decimal-point = ,
written-thousands = {"\u00A0"}

## Console: account

account-administrator = Administrator
account-are-signed-out = Du er logga ut.
account-are-signed-out-everywhere = Du blir logga ut alle andre stader.
account-belongs = Høyrer til
account-change-password = Byt passord
account-code-does-not-match = Koden stemmer ikkje. Skriv inn koden appen viser no.
account-code-wrong-already-used = Koden er feil eller allereie brukt. Prøv den neste koden appen viser.
account-council-coordinator = Koordinator i nærmiljøutval
account-council-s-page = Sida til nærmiljøutvalet
account-current-password = Noverande passord
account-current-password-wrong-password = Det noverande passordet er feil. Passordet er ikkje bytt.
account-email-address-password-wrong = E-postadressa eller passordet er feil.
account-if-address-has-account = Har adressa ein konto, har vi sendt ei lenkje dit. Sjekk e-posten din (også søppelpost). Lenkja verkar i éin time.
account-meeting-overview = Møteoversikta
account-new-password-at-least = Nytt passord (minst 10 teikn)
account-new-password-too-weak = Det nye passordet er for svakt: bruk minst 10 teikn, ikkje eit vanleg passord og ikkje e-postadressa di.
account-off = Av
account-on = På
account-password-changed-are-signed = Passordet er bytt, og du er logga ut alle andre stader.
account-password-wrong = Passordet er feil.
account-recovery-codes-left = gjenopprettingskodar att
account-session-has-expired-sign = Økta di har gått ut. Logg inn att, så kjem du tilbake til sida.
account-session-has-expired-sign-2 = Økta di har gått ut. Logg inn att.
account-session-has-expired-so = Økta di har gått ut, så ingenting vart lagra enno. Logg inn att, så får du skjemaet tilbake slik du fylte det ut.
account-set-up-new-authenticator = Set opp ein ny autentiseringsapp
account-staff = Tilsett
account-there-have-been-too = Det har vore for mange mislukka innloggingar på denne kontoen frå mange stader. Var passordet rett, har eigaren fått ein e-post med ei lenkje som opnar for innlogging herifrå.
account-turn-two-factor-authentication = Slå på tofaktorautentisering
account-volunteer = Frivillig

## Console: code

code-code = Kode
code-enter-code-from-authenticator = Skriv inn koden frå autentiseringsappen din, eller ein av gjenopprettingskodane.

## Console: common

common-accessibility-statement = Tilgjengeerklæring
common-action = Handling
common-address = Adresse
common-all = Alle
common-all-tasks = Alle oppgåver
common-area = Område
common-cancelled = Avlyst
common-category = Kategori
common-completed = Fullført
common-continue = Hald fram
common-council = Nærmiljøutval
common-council-2 = Nærmiljøutvalet
common-deactivate = Deaktiver
common-deactivated = Deaktivert
common-download-as-csv = Last ned som CSV
common-duration = Varigheit
common-edit-task = Endre oppgåva
common-edited = Endra
common-email = E-post
common-expired = Gått ut
common-filled = Fylt
common-forgot-password = Gløymt passord
common-found-volunteer = Fekk frivillig
common-funding-key = Fordelingsnøkkel
common-history = Historikk
common-minutes = minutt
common-my-account = Kontoen min
common-name = Namn
common-neighbourhood-council = Nærmiljøutval
common-new-task = Ny oppgåve
common-next-page = Neste side
common-no = Nei
common-no-expiry = utan utløp
common-notes = Notat
common-number-spots = Tal på plassar
common-of = av
common-one-time-code = Eingongskode
common-opt-outs-force = Reservasjonar som gjeld
common-outbox = Utboks
common-password = Passord
common-phone = Telefon
common-posted = Lagt ut
common-private-details = Private opplysningar
common-qualifications = Kvalifikasjonar
common-reason = Grunn
common-reason-cancelling = Grunn til avlysing
common-recipient-s-name = Namnet til mottakaren
common-recipient-s-phone = Telefonen til mottakaren
common-recovery-codes = Gjenopprettingskodar
common-report = Rapport
common-role = Rolle
common-save = Lagre
common-saved = Lagra.
common-service-unit = Tenesteeining
common-show = Vis
common-sign = Logg inn
common-spots = Plassar
common-start-time = Starttid
common-status = Status
common-tasks = Oppgåver
common-two-factor-authentication = Tofaktorautentisering
common-users = Brukarar
common-volunteer-hours = Frivillige timar
common-volunteers = Frivillige
common-withdrawn = Trekt tilbake
common-year = År
common-yes = Ja

## Console: console

console-action-does-not-fit = Handlinga passar ikkje med tilstanden til oppgåva no. Gå tilbake og last inn sida på nytt.
console-form-did-not-come = Skjemaet kom ikkje frå denne økta, så ingenting vart endra. Gå tilbake, last inn sida på nytt og prøv igjen.
console-form-has-expired = Skjemaet har gått ut
console-may-not-see-page = Du har ikkje tilgang til denne sida eller handlinga.
console-not-allowed = Inga tilgang
console-page-does-not-exist = Sida finst ikkje, eller du har ikkje tilgang til henne.
console-page-not-found = Fann ikkje sida
console-reference-data = Referansedata
console-service-temporarily-unavailable-try = Tenesta er mellombels utilgjengeleg. Prøv igjen om litt. Ingenting vart lagra.
console-something-went-wrong = Noko gjekk gale
console-something-went-wrong-our = Noko gjekk gale hos oss. Ingenting vart lagra. Prøv igjen.
console-start-page = Til framsida
console-temporarily-unavailable = Mellombels utilgjengeleg
console-that-did-not-work = Det gjekk ikkje
console-there-have-been-too = Det har vore for mange mislukka forsøk. Vent eit kvarter og prøv igjen.
console-too-many-attempts = For mange forsøk

## Console: council

council-cancel = Avbryt
council-categories-council-takes = Kategoriar utvalet tek på seg
council-category-taken-back = Kategorien er teken tilbake.
council-confirm-opt-out = Stadfest reservasjonen
council-council-has-opted-out = Utvalet er reservert mot kategorien.
council-council-has-opted-out-2 = Utvalet har ikkje reservert seg mot nokon kategori.
council-date-meeting = Møtedato
council-keep-opt-out = Held på reservasjonen
council-keeps-opt-out = held på reservasjonen mot
council-meeting-overview = Møteoversikt
council-no-changes = : ingen endringar
council-now = no
council-one-decision-per-category = Eitt vedtak per kategori. Alt i skjemaet blir gjennomført samla, eller ingenting.
council-open-tasks-nobody-has = opne oppgåver som ingen har teke, blir trekte tilbake, og einingane får beskjed.
council-opt-back = Reserver ikkje lenger
council-opt-back-2 = Ta tilbake
council-opt-back-3 = Tek kategorien tilbake
council-opt-council-out = Reserver utvalet
council-opt-council-out-category = Reserver utvalet mot ein kategori
council-opted-out = Reservert mot
council-opts-back = tek tilbake
council-overview-yearly-meeting-printable = Møteoversikt for årsmøtet (med utskrift)
council-participants = Deltakarar
council-reason = Grunngjeving
council-reason-taking-category-back = Grunngjeving for å ta kategorien tilbake
council-record-review = Registrer gjennomgangen
council-review-by = Skal vurderast innan
council-review-recorded-decisions-apply = Gjennomgangen er registrert, og vedtaka gjeld frå no. Han står i historikken og i møteoversikta.
council-review-was-not-recorded = Gjennomgangen vart ikkje registrert: møtedatoen kan ikkje vere fram i tid, og kvart vedtak må passe med reservasjonane som gjeld no. Ingenting vart endra.
council-since = Sidan
council-taken-back = Teke tilbake
council-takes = tek på seg
council-tasks-already-taken-keep = oppgåver som allereie er tekne, beheld dei frivillige sine.
council-write-reason-at-most = Skriv ei grunngjeving (høgst 1000 teikn) og ein dato fram i tid.
council-yearly-review = årleg gjennomgang
council-yearly-review-2 = Årleg gjennomgang
council-yearly-review-meeting = Årleg gjennomgang, møte

## Console: enrol

enrol-already-have-authenticator-app = Du har allereie ein autentiseringsapp. Set du opp ein ny, sluttar den gamle å verke, og du får nye gjenopprettingskodar.
enrol-code-from-app = Kode frå appen
enrol-enter-code-app-shows = Skriv inn koden appen viser no.
enrol-municipality-requires-one-time = Kommunen krev ein eingongskode i tillegg til passordet for å sjå oppgåver med private opplysningar. Set opp ein autentiseringsapp for å halde fram.
enrol-scan-qr-code-with = Skann QR-koden med ein autentiseringsapp (til dømes Microsoft Authenticator eller Google Authenticator).
enrol-turn = Slå på
enrol-type-key = Eller skriv inn denne nøkkelen:

## Console: forgot

forgot-back-sign = Tilbake til innlogginga
forgot-enter-email-address-sign = Skriv e-postadressa du loggar inn med. Har ho ein konto, sender vi ei lenkje der du vel eit nytt passord (ho verkar i éin time).
forgot-send-link = Send lenkja

## Console: funding

funding-amount-per-resident-aged = Beløp per innbyggjar 0–19 år
funding-amount-per-resident-aged-2 = Beløp per innbyggjar 0–19 år (kr)
funding-amounts = Beløp for
funding-base = Grunnbeløp
funding-base-amount-per-council = Grunnbeløp per utval
funding-base-amount-per-council-2 = Grunnbeløp per utval (kr)
funding-choose-year-from-2000 = Vel eit år mellom 2000 og 2100.
funding-enter-resident-figure = Registrer innbyggjartal
funding-example-ssb-table-07459 = Til dømes «SSB, tabell 07459» eller folkeregisteruttrekket til kommunen.
funding-figure-as = Talet gjeld per dato
funding-key = I ordninga
funding-left-pot = Att av potten
funding-missing = manglar
funding-no-amounts-are-set = Det er ikkje sett beløp for dette året.
funding-not-saved-check-fields = Ikkje lagra: sjekk felta
funding-per-resident = Per innbyggjar
funding-pot = Pott
funding-pot-nok = Pott (kr)
funding-residents-aged-0-19 = Innbyggjarar 0–19 år
funding-save-amounts = Lagre beløpa
funding-save-figure = Lagre talet
funding-shared-all = Fordelt i alt
funding-source = Kjelde
funding-source-date = Kjelde og dato
funding-total = Sum
funding-warning-shares-exceed-pot = Åtvaring: fordelinga er større enn potten.

## Console: layout

layout-main-menu = Hovudmeny
layout-sign-out = Logg ut
layout-skip-content = Hopp til innhaldet

## Console: login

login-forgot-password = Gløymt passord?

## Console: outbox

outbox-addresses-are-masked-devices = Adressene blir viste maskerte og einingane med slutten av id-en; innhaldet blir aldri vist.
outbox-attempts = Forsøk
outbox-channel = Kanal
outbox-dead = Mislukka
outbox-email-push-outbox = Utboks for e-post og push
outbox-kind = Type
outbox-last-error = Siste feil
outbox-next-attempt = Neste forsøk
outbox-no-notifications-here = Ingen varsel her.
outbox-notification-back-queue = Varselet er lagt i køen att.
outbox-pending = Ventar
outbox-push-app = Push (app)
outbox-retry = Prøv igjen
outbox-to = Til
outbox-unknown = Ukjend

## Console: overview

overview-council-has-recorded-no = Utvalet har ikkje registrert nokon gjennomgang enno.
overview-figures-behind-charts = Tala bak diagramma
overview-no-tasks-council-s = Ingen oppgåver i området til utvalet dette året.
overview-none = Ingen.
overview-print-page-from-browser = Skriv ut sida frå nettlesaren for ei rein A4-side til møtet. Tal om færre enn tre personar blir ikkje viste («–»).
overview-review-by = skal vurderast innan
overview-tasks-per-category = Oppgåver per kategori
overview-yearly-reviews = Årlege gjennomgangar

## Console: recovery

recovery-print-write-down-these = Skriv ut eller skriv ned desse kodane og ta vare på dei på ein trygg stad. Kvar kode kan brukast éin gong viss du mistar telefonen. Dei blir berre viste no.
recovery-two-factor-authentication = Tofaktorautentisering er slått på.

## Console: reference

reference-active = Aktivt
reference-at-most-days-old = Høgst dagar gammal når vist
reference-at-most-days-old-2 = Høgst dagar gammal når vist (tomt: inga grense)
reference-categories = Kategoriar
reference-change = Endre
reference-change-requirements = Endre krav
reference-councils = Nærmiljøutval
reference-create = Opprett
reference-create-category = Opprett kategorien
reference-create-qualification = Opprett kvalifikasjonen
reference-create-unit = Opprett eininga
reference-deactivate = deaktiver
reference-description-bokm-l = Skildring på bokmål
reference-description-english = Skildring på engelsk
reference-edit = Endre
reference-email-unit-s-shared = E-post (felles adresse for eininga)
reference-funding-key = I fordelingsnøkkelen
reference-inactive = Ikkje aktivt
reference-legal-basis = Heimel
reference-legal-basis-law-municipality = Heimel (lov eller regel i kommunen)
reference-name-bokm-l = Namn (bokmål)
reference-name-bokm-l-2 = Namn på bokmål
reference-name-english = Namn (engelsk)
reference-name-english-2 = Namn på engelsk
reference-name-slug-exists-already = Namnet eller koden finst allereie.
reference-new-council = Nytt nærmiljøutval
reference-new-name = Nytt namn
reference-not-saved-check-fields = Ikkje lagra: sjekk felta (kodar er små bokstavar og bindestrek, e-post må vere gyldig).
reference-put-key = ta med i nøkkelen
reference-put-key-2 = Ta med i nøkkelen
reference-reference-data = Grunndata
reference-rename = Gi nytt namn
reference-rename-2 = Endre namn
reference-requires = Krev
reference-save-requirements = Lagre krava
reference-service-units = Tenesteeiningar
reference-slug = Kode
reference-slug-lower-case-letters = Kode (små bokstavar og bindestrek)
reference-take-out-key = ta ut av nøkkelen
reference-take-out-key-2 = Ta ut av nøkkelen
reference-use = I bruk
reference-use-again = ta i bruk att
reference-use-again-2 = Ta i bruk att
reference-valid-months = Gyldig (månader)
reference-valid-months-empty-no = Gyldig i månader (tomt: utan utløp)
reference-volunteers-must-hold = Frivillige må ha
reference-what-municipality-requires-some = Det kommunen krev for nokre kategoriar. Ein attest blir vist fram og aldri lagra; ei ny gyldigheit gjeld det som blir registrert frå no.

## Console: report

report-active-volunteers = Aktive frivillige
report-choose-months-such-as = Vel månader som 2026-01.
report-figures-about-fewer-than = Tal om færre enn tre personar blir ikkje viste («–»), så ingen kan kjennast att.
report-from-month = Frå månad
report-group = Gruppe
report-grouped-by = Gruppert etter
report-month = Månad
report-month-inclusive = Til og med månad
report-period-invalid-choose-from = Perioden er ugyldig: vel ein frå-månad som ikkje er etter til-månaden, høgst fem år.
report-tasks-posted-completed = Oppgåver lagde ut og fullførte
report-total = Totalt

## Console: series

series-1-every-time-2 = 1 er kvar gong, 2 annakvar, opp til 4. Ein månadleg dato er same dag i månaden; månader utan den dagen blir hoppa over.
series-cancel-from-date = Avlys frå denne datoen
series-cancel-series = Avlys serien
series-cancelled-from = Avlyst frå
series-copied-each-date-only = Blir kopiert til kvar dato. Berre eininga, administratorar og frivillige som har teke ein dato, ser dette.
series-dates = Datoar
series-dates-before-stay-as = Datoane før denne står som dei er. Ingen nye datoar blir laga frå denne datoen.
series-dates-from-chosen-date = Datoane frå den valde datoen er avlyste.
series-day = dag
series-every = kvar
series-every-day = Kvar dag
series-every-day-2 = kvar dag
series-every-month = Kvar månad
series-every-month-2 = kvar månad
series-every-week = Kvar veke
series-every-week-2 = kvar veke
series-fill-either-number-times = Fyll ut anten tal på gonger (1–104) eller siste dato.
series-first-date = Første dato
series-from = frå
series-from-date = Frå og med dato
series-interval = Intervall
series-month = månad
series-no-dates-have-been = Ingen datoar er laga enno.
series-no-just-once = Nei, berre éin gong
series-number-times = Tal på gonger
series-repeats = Blir gjenteken
series-series = Serien
series-series-published = Serien er publisert.
series-spots-taken = plassar tekne
series-time-day = Klokkeslett
series-times = gonger
series-until = til og med
series-until-including = Til og med dato
series-volunteers-who-have-taken = Dei frivillige som har teke ein av datoane, får grunnen på e-post.
series-week = veke

## Console: task

task-actions = Handlingar
task-cancel-task = Avlys oppgåva
task-complete = Fullfør
task-complete-with-hours-per = Fullfør med timar per frivillig
task-hours = Timar for
task-invitations = Invitasjonar
task-invite = Inviter
task-invite-volunteer = Inviter ein frivillig
task-missing = Manglar
task-nobody-can-invited-task = Ingen kan bli inviterte til denne oppgåva: ingen frivillige her har sagt ja til å bli inviterte, eller dei har reservert seg mot kategorien.
task-nobody-has-taken-task = Ingen har teke oppgåva enno.
task-one-date-series-see = Ein dato i ein serie – sjå serien og alle datoane
task-only-unit-admins-volunteers = Berre eininga, administratorar og frivillige som har teke oppgåva, ser dette.
task-only-volunteers-who-agreed = Berre frivillige som har sagt ja til invitasjonar, står i lista. Ein invitasjon er eit spørsmål, ikkje ei tildeling.
task-public-details = Offentlege opplysningar
task-volunteers-who-have-taken = Dei frivillige som har teke oppgåva, får grunnen på e-post.

## Console: taskform

taskform-form-has-errors-see = Skjemaet har feil. Sjå felta som er merkte.
taskform-leave-repeats-at-no = La «Blir gjenteken» stå på «Nei» for éi enkelt oppgåve. Ein serie lagar kvar dato som ei eiga oppgåve, åtte veker fram i tid, alltid på same klokkeslett.
taskform-not-given = (ikkje oppgitt)
taskform-open = Open
taskform-private-only-unit-whoever = Privat – berre for eininga og den som har teke oppgåva
taskform-public-volunteers-see = Offentleg – dette ser dei frivillige
taskform-repetition = Gjentaking
taskform-weekdays-only-when-repeats = Vekedagar (berre når ho blir gjenteken kvar veke)
taskform-whole-municipality = Heile kommunen
taskform-yes-post-another-task = Ja, legg ut ei oppgåve til

## Console: tasks

tasks-address = adresse
tasks-already-invited = allereie invitert
tasks-area = område
tasks-category = kategori
tasks-changes-are-saved = Endringane er lagra.
tasks-choose = Vel …
tasks-council = nærmiljøutval
tasks-council-has-opted-out = Nærmiljøutvalet har reservert seg mot denne kategorien. Vel eit anna utval eller ein annan kategori.
tasks-council-has-opted-out-2 = Nærmiljøutvalet har reservert seg mot denne kategorien.
tasks-date = Til dato
tasks-date-invalid = Datoen er ugyldig.
tasks-description = Skildring
tasks-description-2 = skildring
tasks-duration = varigheit
tasks-duration-minutes = Varigheit (minutt)
tasks-end-time = sluttid
tasks-filter-tasks = Filtrer oppgåver
tasks-from-date = Frå dato
tasks-has-taken-task = Har teke oppgåva
tasks-here-form-as-filled = Her er skjemaet slik du fylte det ut. Ingenting er lagra enno: sjå over og send det.
tasks-hours = Timar
tasks-invitation-sent = Invitasjonen er send.
tasks-invited = invitert
tasks-just-posted-identical-task = Du la nettopp ut ei lik oppgåve — leggje ut ei til?
tasks-lapsed = gått ut
tasks-no-tasks-match-filter = Ingen oppgåver passar filteret.
tasks-notes = notat
tasks-number-spots-cannot-go = Talet på plassar kan ikkje bli lågare enn talet på frivillige som har teke oppgåva.
tasks-only-open-filled-tasks = Berre opne eller fylte oppgåver kan endrast.
tasks-open-filled = Opne og fylte
tasks-other-fields = andre felt
tasks-public-text-too = Også offentleg tekst.
tasks-publish = Publiser
tasks-recipient-s-name = namnet til mottakaren
tasks-recipient-s-phone = telefonen til mottakaren
tasks-rough-area-example-torstrand = Eit grovt område, til dømes «Torstrand» – aldri ei adresse.
tasks-someone-else-changed-task = Nokon andre har endra oppgåva sidan du opna skjemaet. Ingenting vart lagra. Opne oppgåva på nytt for å sjå endringane.
tasks-spots = tal på plassar
tasks-spots-free = plassar ledige
tasks-start = Starttid
tasks-start-time = starttid
tasks-task-cancelled = Oppgåva er avlyst.
tasks-task-completed = Oppgåva er fullført.
tasks-task-published = Oppgåva er publisert.
tasks-title = Tittel
tasks-title-2 = tittel
tasks-title-public-text-every = Tittelen er offentleg tekst som alle frivillige ser: skriv aldri namn, adresse eller helseopplysningar her.

## Console: user

user-activate-account-again = Aktiver kontoen att
user-all-users = Alle brukarar
user-certificate-shown-never-copied = Attesten blir vist fram og aldri kopiert: registrer berre at han vart sett, og når han vart skriven ut.
user-change-role-links = Endre rolle og tilknyting
user-date-certificate-may-at = Datoen på attesten. Han kan ikkje vere eldre enn tre månader når han blir vist.
user-date-seen-signed = Sett eller signert dato
user-deactivate-account = Deaktiver kontoen
user-issue-date-police-certificate = Utskriven dato (politiattest)
user-issued = Utskriven
user-none-recorded = Ingen registrert.
user-person-signed-out-everywhere = Personen blir logga ut overalt med ein gong, oppgåvene personen har teke, blir frigjevne (einingane får beskjed), og kontoen kan ikkje logge inn att før han blir aktivert.
user-qualification = Kvalifikasjon
user-record = Registrer
user-resend-invitation = Send invitasjonen på nytt
user-revoke = Trekk tilbake
user-revoking-releases-at-once = Å trekkje tilbake frigjev med ein gong oppgåvene personen har teke som krev kvalifikasjonen (einingane får beskjed).
user-seen = Sett
user-valid-until = Gyldig til
user-yes-deactivate-account = Ja, deaktiver denne kontoen

## Console: users

users-account-deactivated = Kontoen er deaktivert.
users-account-with-email-address = Det finst allereie ein konto med denne e-postadressa.
users-active = Aktiv
users-choose-qualification = Vel ein kvalifikasjon.
users-council-coordinators = Nærmiljøutval (for koordinatorar)
users-create-send-email = Opprett og send e-post
users-date-was-shown-signed = Datoen han vart vist eller signert, manglar eller ligg fram i tid.
users-invitation-sent-again = Invitasjonen er send på nytt.
users-issue-date-missing-after = Utskrivingsdatoen manglar, er etter visingsdatoen, eller attesten var for gammal då han vart vist (be om ein ny).
users-name-email = Namn eller e-post
users-new-user = Ny brukar
users-no-users-match-search = Ingen brukarar passar søket.
users-none = Ingen
users-not-chosen-yet = ikkje vald enno
users-only-volunteers-coordinators-hold = Berre frivillige og koordinatorar har kvalifikasjonar.
users-person-gets-email-with = Personen får ein e-post med lenkje for å velje passord (gyldig i 7 dagar).
users-qualification-recorded = Kvalifikasjonen er registrert.
users-qualification-revoked-tasks-that = Kvalifikasjonen er trekt tilbake. Oppgåver som kravde han, er frigjevne, og einingane har fått beskjed.
users-revoked = Trekt tilbake
users-role-links-do-not = Rolla og tilknytinga passar ikkje saman: tilsette treng ei tenesteeining, koordinatorar eit nærmiljøutval.
users-search = Søk
users-search-users = Søk etter brukarar
users-service-unit-staff = Tenesteeining (for tilsette)
users-that-did-not-work = Det gjekk ikkje: den siste aktive administratoren kan ikkje fjernast, og ein invitasjon blir berre send til ein aktiv konto utan passord.
users-tick-box-confirm-that = Kryss av for å stadfeste at kontoen skal deaktiverast. Ingenting er endra.
users-user-created-email-way = Brukaren er oppretta, og e-posten er på veg.
users-valid = Gyldig

## Console: volunteer


## Console: task and series histories, task refusals

series-history-posted = Serien vart lagd ut
tasks-already-invited-or-claimed = Den frivillige er allereie invitert eller har teke oppgåva.
tasks-complete-not-started = Oppgåva kan fullførast når ho har starta.
tasks-history-auto-completed = Fullført automatisk
tasks-history-claimed = Ein frivillig tok ein plass
tasks-history-filled = Alle plassane er tekne
tasks-history-lapsed = Gått ut utan frivillige
tasks-history-private-erased = Private opplysningar sletta etter oppbevaringstida
tasks-history-released = Ein plass vart ledig
tasks-history-withdrawn = Trekt tilbake (nærmiljøutvalet reserverte seg)
tasks-not-now = Oppgåva tek ikkje imot dette no.

## Emails: the frame

email-greeting-named = Hei { $name },
email-greeting = Hei,
email-signature = Helsing dugnad
email-unsubscribe = Vil du ikkje lenger ha slike e-postar? Slå dei av her
email-see-task = Sjå oppdraget

## Emails: accounts

role-admin = administrator
role-staff = tilsett
role-coordinator = leiar av nærmiljøutval
role-volunteer = frivillig
email-verify-subject = Stadfest e-postadressa di
email-verify-lead = Stadfest e-postadressa di for å ta oppdrag i dugnad.
email-verify-button = Stadfest e-postadressa
email-verify-small = Lenkja verkar i 48 timar. Har du ikkje bede om dette, kan du sjå bort frå e-posten.
email-reset-subject = Tilbakestill passordet ditt
email-reset-lead = Nokon bad om å tilbakestille passordet til kontoen din i dugnad.
email-reset-button = Vel nytt passord
email-reset-small = Lenkja verkar i éin time og berre éin gong. Var det ikkje deg, kan du sjå bort frå e-posten; passordet ditt er uendra.
email-unlock-subject = Var det du som prøvde å logge inn?
email-unlock-lead = Nokon har prøvd mange feil passord på kontoen din i dugnad, frå mange stader. Difor stoppa vi ei innlogging med rett passord no nettopp.
email-unlock-ask = Var det deg? Trykk på knappen, så kan du logge inn frå same stad den neste timen.
email-unlock-button = Lås opp innlogginga
email-unlock-small = Lenkja verkar i éin time og berre éin gong. Var det ikkje deg, kjenner nokon passordet ditt: byt det med «Gløymt passord?» på innloggingssida.
email-created-subject = Kontoen din i dugnad
email-created-lead = Det er oppretta ein konto til deg i dugnad, med rolla { $role }.
email-created-button = Vel passord
email-created-small = Lenkja verkar i sju dagar. Når du har valt passord, loggar du inn på { $sign_in } med denne e-postadressa.
email-address-changed-subject = E-postadressa di i dugnad blir endra
email-address-changed-lead = Nokon bad om å endre e-postadressa til kontoen din i dugnad til { $address }. Du er logga ut på alle einingar.
email-address-changed-still = Denne adressa er framleis den du loggar inn med til den nye er stadfesta.
email-address-changed-small = Var det ikkje deg? Byt passord med «Gløymt passord» i appen med ein gong, og kontakt kommunen.
email-codes-locked-subject = Innlogging med kode er sperra for kontoen din
email-codes-locked-lead = Nokon har skrive feil eingongskode til kontoen din i dugnad 100 gonger på rad, etter å ha skrive rett passord. Difor er innlogging med kode sperra for kontoen.
email-codes-locked-reset = Byt passord med «Gløymt passord?» på innloggingssida. Det låser opp kodane att, og den som kjenner det gamle passordet, kjem ikkje lenger inn.
email-codes-locked-small = Var det du som skreiv feil? Byt passordet likevel for å låse opp. Kontakt kommunen viss du lurer på noko.
email-qualification-subject = { $qualification } går ut { $day }
email-qualification-lead = { $qualification } som kommunen har registrert for deg, gjeld til og med { $day }.
email-qualification-renew = Oppdrag som krev han og startar etter denne datoen, kan du ikkje ta før kommunen har registrert ein ny. Oppdrag du allereie har teke, beheld du. Ta kontakt med frivilligkoordinatoren i kommunen for å fornye.
email-inactive-subject = Kontoen din i dugnad blir sletta snart
email-inactive-lead = Du har ikkje brukt kontoen din i dugnad på tre år. Om 30 dagar slettar vi han og opplysningane om deg.
email-inactive-keep = Vil du halde på kontoen, er det nok å logge inn i appen før det.
email-inactive-button = Opne dugnad

## Emails: tasks and claims

email-task-facts = «{ $title }», { $when }.
email-task-facts-area = «{ $title }», { $when }, { $area }.
email-details-in-app = Adresse og andre detaljar ser du i appen. Spørsmål? Kontakt { $contact }.
email-claimed-subject = Stadfesta: { $title }
email-claimed-lead = Takk! Du har teke oppdraget { $facts }
email-claimed-small = Kan du ikkje likevel? Du kan trekkje deg i appen når som helst før oppdraget er over.
email-series-claimed-subject = Stadfesta: { $title } ({ $count } gonger)
email-series-claimed-lead = Takk! Du har teke { $count } gonger av «{ $title }»:
email-series-claimed-small = Kan du ikkje ein av gongene? Du kan trekkje deg frå kvar einskild i appen, når som helst før han er over.
email-follow-claim-subject = Ny gong sett av til deg: { $title }
email-follow-claim-lead = Du følgjer «{ $series }», så denne nye gongen er sett av til deg: { $facts }
email-follow-claim-ask = Passar det ikkje denne gongen? Gi frå deg plassen med eitt trykk, så kan nokon andre ta han:
email-follow-claim-button = Trekk meg frå denne gongen
email-follow-claim-small = Du følgjer serien til og med { $until }. Vil du halde fram etter det, fornyar du i appen. Gir du frå deg ein gong, sluttar du også å følgje serien, så ingenting blir teke i namnet ditt etterpå; du kan følgje han att når du vil.
email-follow-ended-subject = Du følgjer ikkje lenger serien «{ $title }»
email-follow-ended-lead = Serien «{ $title }» som du følgde, er endra: tittel, kategori, område, vekedag eller klokkeslett er ikkje lenger det du valde. Difor følgjer du han ikkje lenger, og nye gonger blir ikkje tekne i namnet ditt.
email-follow-ended-keep = Gongene du allereie har teke, er framleis dine, og du kan gi dei frå deg når som helst. Vil du halde fram med serien slik han er no, kan du følgje han att.
email-changed-subject = Endra: { $title }
email-changed-lead = Oppdraget du har teke, er endra: { $facts }
email-changed-check = Sjå gjennom detaljane i appen. Passar det ikkje lenger, kan du trekkje deg.
email-cancelled-subject = Avlyst: { $title }
email-cancelled-lead = Oppdraget { $facts } er avlyst.
email-cancelled-reason = Grunngjeving: { $reason }
email-cancelled-thanks = Takk for at du stilte opp!
email-reminder-subject = Påminning: { $title }
email-reminder-lead = Påminning om oppdraget du har teke: { $facts }
email-reminder-details = Adresse og detaljar finn du i appen.
email-reminder-ask = Kan du ikkje likevel? Det er heilt i orden — gi frå deg plassen, så kan nokon andre ta han:
email-reminder-button = Trekk meg frå oppdraget
email-invitation-subject = Førespurnad: { $title }
email-invitation-lead = { $unit } lurer på om du kan ta oppdraget { $facts }
email-invitation-only-asking = Dette er berre ein førespurnad. Vil du, tek du oppdraget i appen; passar det ikkje, kan du seie nei eller la vere å svare.
email-spot-subject = Ledig plass: { $title }
email-spot-watching = Du følgjer med på dette oppdraget, og no er ein plass ledig: { $facts }
email-spot-near = Ein plass har vorte ledig på eit oppdrag i nærleiken av deg: { $facts }
email-spot-first = Den som først tek plassen i appen, får han. Passar det ikkje, treng du ikkje gjere noko.
email-digest-subject = Nye oppdrag i dugnad
email-digest-lead = { $count ->
    [one] Eit nytt oppdrag passar for deg:
   *[other] { $count } nye oppdrag passar for deg:
}
email-digest-small = Du får denne oversikta fordi du har bede om henne. Ingen oppdrag blir tildelte — du vel sjølv.

## Emails to a service unit

email-unit-status = Status: { $claimed } av { $spots } plassar tekne.
email-unit-urgent = HASTAR: { $subject }
email-unit-claimed-lead = Ein frivillig har teke oppdraget { $facts }
email-unit-claimed-subject = Oppdrag teke: { $title }
email-unit-released-lead = Ein frivillig har gitt frå seg ein plass på oppdraget { $facts }
email-unit-released-subject = Frivillig trekte seg: { $title }
email-unit-closed-lead = Ein plass på oppdraget { $facts } er ledig att fordi ein konto er avslutta.
email-unit-closed-subject = Ledig plass etter ein avslutta konto: { $title }
email-unit-voided-lead = Ein plass på oppdraget { $facts } er ledig att.
email-unit-voided-subject = Ledig plass: { $title }
email-unit-free-again = Plassen er ledig att og blir vist for andre frivillige.
email-unit-filled-lead = Alle plassane på oppdraget { $facts } er tekne.
email-unit-filled-subject = Oppdrag fullt: { $title }
email-unit-withdrawn-lead = Oppdraget { $facts } er trekt tilbake: { $council } nærmiljøutval tek ikkje lenger på seg oppdrag i denne kategorien.
email-unit-withdrawn-reason = Grunngjevinga til utvalet: { $reason }
email-unit-withdrawn-repost = Oppdraget kan leggjast ut på nytt for heile kommunen eller eit anna utval.
email-unit-withdrawn-subject = Trekt tilbake: { $title }

## Push notifications (a lock screen: never a title, a private detail or a name)

push-task-changed = Ei oppgåve du har teke, er endra
push-task-cancelled = Ei oppgåve du har teke, er avlyst
push-reminder = Påminning: du har ei oppgåve i morgon
push-invitation = Du er invitert til ei oppgåve
push-spot-opened = Ein plass er ledig – den som tek han først, får han

## The pages behind links in emails (/e/…)

page-failed = Det gjekk ikkje. Lenkja kan vere brukt eller gått ut.
page-password = Passord
page-release-button = Trekk meg
page-release-done = Du har trekt deg. Takk for at du sa frå!
page-release-intro = Kan du ikkje likevel? Det er heilt i orden. Trykk på knappen, så blir plassen ledig for andre.
page-release-title = Trekk deg frå oppdraget
page-reset-button = Lagre passordet
page-reset-done = Passordet er endra. Logg inn med det nye passordet i appen eller på innloggingssida.
page-reset-intro = Vel eit nytt passord på minst 10 teikn. Du blir logga ut på alle einingar.
page-reset-title = Nytt passord
page-set-button = Lagre passordet
page-set-done = Passordet er lagra. Logg inn med e-postadressa di og det nye passordet på innloggingssida.
page-set-intro = Vel eit passord på minst 10 teikn for kontoen din.
page-set-title = Vel passord
page-task-link-dead = Lenkja verkar ikkje lenger. Oppdraget kan vere over, avlyst eller ikkje lenger ditt.
page-task-title = Oppdraget
page-to-sign-in = Til innlogginga
page-unlock-button = Lås opp
page-unlock-done = Ferdig. Logg inn på nytt frå same stad innan ein time. Var det ikkje deg, bør du byte passord med «Gløymt passord?».
page-unlock-intro = Det har vore mange mislukka innloggingar på kontoen din frå andre stader. Var det du som skreiv rett passord no nettopp? Trykk på knappen, så kan du logge inn derifrå den neste timen.
page-unlock-title = Lås opp innlogginga
page-unsubscribe-button = Avslutt
page-unsubscribe-done = Ferdig. Du får ikkje fleire slike e-postar.
page-unsubscribe-intro = Trykk på knappen for å slutte å få denne typen e-post. Du kan slå han på att i appen.
page-unsubscribe-title = Avslutt e-postar
page-verify-button = Stadfest
page-verify-done = Takk! E-postadressa er stadfesta.
page-verify-intro = Trykk på knappen for å stadfeste e-postadressa di.
page-verify-title = Stadfest e-postadressa
page-weak-password = Passordet er for svakt. Bruk minst 10 teikn, og ikkje eit vanleg passord eller noko som liknar e-postadressa di. Lenkja verkar framleis.

## The council's printable overview for its yearly meeting

meeting-title = { $name } nærmiljøutval — årsmøte { $year }
meeting-heading = { $name } nærmiljøutval
meeting-intro = Oversikt til den årlege gjennomgangen med kommunen, { $year }.
meeting-per-category = Oppdrag per kategori
meeting-category = Kategori
meeting-posted = Lagt ut
meeting-taken = Teke
meeting-done = Utført
meeting-withdrawn = Trekt
meeting-expired = Gått ut
meeting-hours = Timar
meeting-volunteers = Frivillige
meeting-no-tasks = Ingen oppdrag dette året.
meeting-opted-out-heading = Fråsagde kategoriar
meeting-opt-out-line = { $category } — sidan { $since }, grunngjeving: { $reason } (skal vurderast innan { $review_by })
meeting-none = Ingen.
meeting-changes = Endringar i { $year }
meeting-opted-out = Fråsagt
meeting-opted-in = Teke inn att
meeting-no-changes = Ingen endringar i år.
meeting-past-reviews = Tidlegare gjennomgangar
meeting-decision-keep = { $category } blir halden fråsagd
meeting-decision-opt-in = { $category } blir teken inn att
meeting-decision-take = { $category } blir teken på
meeting-no-reviews = Ingen gjennomgangar registrerte.

## Spreadsheets (CSV): the heading line and the total rows, comma-separated

csv-report-headings = Nøkkel,Gruppe,Lagt ut,Fekk frivillig,Fullført,Avlyst,Gått ut utan frivillig,Trekt tilbake,Oppdrag tekne,Oppdrag gitt frå seg,Frivillige timar,Aktive frivillige,Median timar til første frivillige,Del med frivillig før start,Skjult (færre enn tre personar)
csv-funding-headings = Nærmiljøutval,Med i nøkkelen,Innbyggjarar 0–19 år,Kjelde,Per dato,Grunnbeløp (kr),Del per barn (kr),Sum (kr)
csv-total = Totalt
csv-missing = manglar
csv-pot = Pott

## Console: reference data in nynorsk

reference-name-nynorsk = Namn (nynorsk)
reference-name-nynorsk-2 = Namn på nynorsk
reference-name-nynorsk-hint = Tomt: same som på bokmål.

## Field problems: why a field of a form or request was refused

field-required = Må fyllast ut.
field-empty = Må fyllast ut.
field-too-long = Kan vere høgst { $max } teikn.
field-too-long-bytes = Kan vere høgst { $max } byte.
field-not-one-line = Må vere éi linje, utan linjeskift.
field-control-characters = Kan ikkje innehalde kontrollteikn.
field-nul-characters = Kan ikkje innehalde NUL-teikn.
field-not-whole-number = Må vere eit heilt tal.
field-between = Må vere eit heilt tal frå { $min } til { $max }.
field-minutes-between = Må vere frå { $min } til { $max } minutt.
field-hours-up-to = Må vere meir enn 0 og høgst { $max } timar.
field-months-or-none = Må vere frå 1 til { $max } månader, eller tomt for inga utløp.
field-days-or-none = Må vere frå 0 til { $max } dagar, eller tomt.
field-kroner-up-to = Må vere eit heilt tal kroner frå 0 til { $max }.
field-not-true-or-false = Må vere true eller false.
field-not-uuid = Må vere ein UUID.
field-not-date = Må vere ein dato, til dømes 2026-12-31.
field-not-date-time = Må vere dato og klokkeslett, til dømes 2026-12-08T14:00.
field-not-rfc3339 = Må vere eit tidspunkt i RFC 3339-format.
field-not-clock-time = Må vere eit klokkeslett som TT:MM.
field-skipped-local-time = Dette klokkeslettet finst ikkje den dagen (overgang til sommartid).
field-outside-years = Må vere i åra 2000 til 2100.
field-out-of-range = Er utanfor det som kan brukast.
field-not-in-future = Må vere fram i tid.
field-in-future = Kan ikkje vere fram i tid.
field-in-past = Kan ikkje vere tilbake i tid.
field-not-after-start = Må vere etter starttida.
field-one-of = Må vere ein av: { $choices }.
field-named-twice = Nemner eit felt to gonger.
field-given-and-cleared = Har ein verdi og står samstundes i `clear`.
field-not-slug = Må vere små bokstavar og siffer, skilde med éin bindestrek.
field-not-email = Skriv ei gyldig e-postadresse.
field-password-too-short = Må vere minst { $min } teikn.
field-password-is-email = Kan ikkje vere e-postadressa di.
field-password-too-simple = Er for enkelt; bruk fleire ulike teikn.
field-password-common = Er blant dei vanlegaste passorda; vel eit anna.
field-wrong-password = Er feil.
field-wrong-code = Er ikkje koden autentiseringsappen viser no.
field-dead-link = Lenkja er ugyldig, brukt eller har gått ut.
field-not-cursor = Er ikkje ei side denne tenesta har gitt ut.
field-not-idempotency-key = Må vere 1 til 255 synlege ASCII-teikn.
field-not-json-object = Må vere eit JSON-objekt.
field-malformed = Ugyldig verdi: { $detail }
field-not-category = Vel ein kategori.
field-not-active-category = Kategorien er ikkje i bruk.
field-not-active-council = Nærmiljøutvalet er ikkje aktivt.
field-not-service-unit = Vel ei tenesteeining.
field-not-active-qualification = Vel ein kvalifikasjon som er i bruk.
field-required-when-admin-posts = Vel tenesteeininga oppgåva gjeld.
field-required-for-staff = Tilsette må høyre til ei tenesteeining.
field-required-for-coordinator = Koordinatorar må høyre til eit nærmiljøutval.
field-only-staff-have-unit = Berre tilsette høyrer til ei tenesteeining.
field-only-volunteers-choose-council = Berre frivillige vel heimeutval; ein administrator set utvalet til ein koordinator.
field-frequency = Vel kor ofte.
field-weekly-only = Vekedagar blir valde berre når ho blir gjenteken kvar veke.
field-weekday-twice = Nemner { $day } to gonger.
field-before-first-date = Kan ikkje vere før første dato.
field-count-or-until = Fyll ut anten tal på gonger eller siste dato, ikkje begge.
field-too-many-occurrences = Ein serie kan ha høgst { $max } datoar.
field-category-twice = Nemner ein kategori to gonger.
field-not-opted-out = Utvalet har ikkje reservert seg mot denne kategorien.
field-month-start = Må vere den første dagen i ein månad.
field-month-end = Må vere den siste dagen i ein månad.
field-period = Må vere same dag som eller etter frå-datoen, høgst fem år seinare.
field-not-active-claim = Er ikkje ein aktiv plass på denne oppgåva.
field-no-end-known = Må fyllast ut: oppgåva har verken sluttid eller varigheit.
field-issue-date-required = Må fyllast ut for denne kvalifikasjonen (datoen på attesten).
field-issued-after-seen = Kan ikkje vere etter datoen han vart vist.
field-certificate-too-old = Attesten var skriven ut meir enn { $max } dagar før han vart vist: be om ein ny.
field-legal-basis = Må vise til lova eller regelen til kommunen.
field-too-many-choices = Kan ha høgst { $max } val.
field-not-a-choice = Er ikkje eit val ein person gjer.
field-required-for-email-change = Må fyllast ut for å endre e-postadressa.
field-opt-back-in-first = Ta kategorien tilbake før utvalet tek han på seg.
field-not-whole-kroner = Må vere heile kroner.
field-not-hours = Må vere eit tal timar, til dømes 1,5.
field-key-reused = Er brukt før med eit anna innhald.
field-only-takers-hold-qualifications = Berre frivillige og koordinatorar har kvalifikasjonar.
field-weekdays-once = Vel kvar vekedag høgst éin gong.
field-unknown-category = Inneheld ein ukjend kategori.
field-unknown-qualification = Inneheld ein ukjend kvalifikasjon.
field-volunteers-register-themselves = Frivillige registrerer seg sjølve; vel tilsett, koordinator eller administrator.
field-not-into-volunteer = Ein konto kan ikkje gjerast om til frivillig; deaktiver han i staden.
field-volunteer-stays-volunteer = Kontoen til ein frivillig kan ikkje få ei anna rolle; opprett ein ny konto.

## Console: the accessibility statement

a11y-aim = Dugnad-konsollen til { $municipality } skal oppfylle WCAG 2.1 på nivå AA, slik forskrift om universell utforming av IKT krev.
a11y-labels = Alle skjemafelt har synlege leietekstar, og feil blir viste ved feltet dei gjeld.
a11y-keyboard = Alle sider kan brukast med tastatur åleine; elementet som har fokus, er alltid markert.
a11y-contrast = Tekstkontrasten er minst 4,5:1, og sidene tilpassar seg ei breidd på 320 pikslar.
a11y-charts = Alle diagram har tala sine i ein tabell ved sida av.
a11y-no-script = Sidene verkar utan JavaScript.
a11y-checked = Kvar versjon blir sjekka automatisk med axe-core i ein ekte nettlesar og med ein test som berre brukar tastatur. Verkar noko ikkje for deg, kan du skrive til servicetorget i kommunen. Du kan også klage til Tilsynet for universell utforming av ikt.

## The volunteer web ("Dugnad på nett")

site-skip = Hopp til innhaldet
site-menu = Hovudmeny
site-nav-tasks = Oppgåver
site-nav-mine = Mine oppdrag
site-nav-invitations = Invitasjonar
site-sign-out = Logg ut
site-accessibility = Tilgjengelegheitserklæring
site-start-title = Ver med og hjelp
site-start-lead = I { $municipality } legg helse- og meistringstenestene ut små oppdrag – følgje til legen, ein tur, ein handletur – som frivillige tek når det passar dei.
site-start-promise = Du tek berre det du vil, og kan gje frå deg eit oppdrag utan å seie kvifor.
site-sign-in = Logg inn
site-become-volunteer = Bli frivillig
site-email = E-post
site-password = Passord
site-no-account = Ingen konto enno?
site-forgot = Gløymt passordet?
site-name = Namn
site-council = Nærmiljøutval
site-council-none = Ikkje valt
site-language = Språk
site-password-hint = Minst { $min } teikn.
site-register-title = Bli frivillig
site-register-done-title = Sjekk e-posten din
site-register-done = Vi har sendt ei lenkje til { $email }. Opne ho for å stadfeste adressa, så kan du ta oppdrag.
site-email-taken = Det finst alt ein konto med denne adressa. Logg inn, eller be om nytt passord.
site-fix-fields = Noko må rettast før du kan gå vidare.
site-feed-title = Oppgåver
site-filter = Filtrer
site-filter-category = Kategori
site-filter-all = Alle
site-filter-from = Frå dato
site-filter-to = Til og med dato
site-filter-my-council = Berre mitt nærmiljøutval
site-filter-apply = Vis oppgåver
site-feed-empty = Ingen ledige oppgåver passar akkurat no.
site-feed-more = Fleire oppgåver
site-free-spots = { $count ->
    [one] 1 ledig plass
   *[other] { $count } ledige plassar
}
site-full = Fullt
site-needs-qualification = Krev ein kvalifikasjon du ikkje har registrert
site-you-hold = Du har teke dette oppdraget
site-when = Når
site-where = Kvar
site-spots = Plassar
site-category = Kategori
site-claim = Ta oppdraget
site-release = Gje frå meg oppdraget
site-release-title = Gje frå deg oppdraget?
site-release-text = Du treng ikkje seie kvifor, og ingen held det mot deg. Eininga får vite at plassen er ledig.
site-release-yes = Ja, gje frå meg oppdraget
site-release-no = Nei, behald det
site-watch = Varsle meg
site-unwatch = Ikkje varsle meg
site-watching = Vi seier frå om ein plass blir ledig.
site-full-lead = Alle plassane er tekne.
site-private-heading = Berre for deg som har teke oppdraget
site-address = Adresse
site-recipient = Kven du hjelper
site-phone = Telefon
site-notes = Merknader
site-contact = Kontakt
site-done-claimed = Oppdraget er ditt. Takk! Ei stadfesting kjem på e-post.
site-done-released = Du har gjeve frå deg oppdraget.
site-done-unwatched = Du får ikkje lenger varsel om denne oppgåva.
site-done-declined = Invitasjonen er avslått. Ingen får vite det.
site-refusal-not-verified = Stadfest e-postadressa di først: opne lenkja vi sende deg.
site-refusal-already = Du har alt teke dette oppdraget.
site-refusal-not-open = Oppdraget tek ikkje imot fleire frivillige – det har starta, er avlyst eller er ferdig.
site-refusal-council = Nærmiljøutvalet har reservert seg mot denne typen oppdrag, så det kan ikkje takast.
site-refusal-qualification = Oppdraget krev ein kvalifikasjon du ikkje har registrert, til dømes politiattest. Snakk med eininga.
site-refusal-full = Plassen er alt teken. Trykk «Varsle meg» for å få vite om ein blir ledig.
site-refusal-overlap = Du har eit anna oppdrag på same tid.
site-refusal-not-claimant = Du har ikkje dette oppdraget.
site-refusal-spot-free = Det er ein ledig plass – ta oppdraget i staden.
site-refusal-rate = For mange forsøk på kort tid. Vent litt og prøv igjen.
site-refusal-other = Det gjekk ikkje. Last sida på nytt og prøv igjen.
site-mine-title = Mine oppdrag
site-mine-upcoming = Kommande
site-mine-past = Tidlegare
site-mine-empty = Du har ikkje teke nokon oppdrag enno.
site-mine-hours = { $hours } timar
site-mine-released = Gjeve frå deg
site-mine-voided = Avlyst
site-invitations-title = Invitasjonar
site-invitations-lead = Ei eining har spurt om du vil ta desse oppdraga. Seier du nei takk, får ingen vite det.
site-invitations-empty = Ingen opne invitasjonar.
site-say-yes = Sei ja
site-no-thanks = Nei takk
site-not-found-title = Fann ikkje sida
site-not-found = Sida finst ikkje, eller oppgåva er ikkje lenger ledig.
site-error-title = Noko gjekk gale
site-error = Prøv igjen om litt.
site-forged-title = Skjemaet har gått ut
site-forged = Last sida på nytt og prøv igjen.
site-to-start = Til framsida
site-a11y-title = Tilgjengelegheitserklæring
site-a11y-aim = Dugnad på nett for { $municipality } skal oppfylle WCAG 2.1 på nivå AA, slik forskrift om universell utforming av IKT krev.
site-a11y-phone = Sidene er laga for mobil først, verkar utan JavaScript, og alle knappar er minst 44 × 44 pikslar.
site-nav-profile = Profil
site-profile-title = Profil
site-profile-about = Om deg
site-phone-hint = Valfritt. Berre eininga for eit oppdrag du har teke, ser det.
site-invitable = Einingar kan invitere meg til oppdrag
site-opt-outs = Kategoriar eg ikkje vil ha oppdrag i
site-opt-outs-hint = Du ser ikkje oppdrag i kategoriane du kryssar av.
site-preferences = Varsel
site-preferences-hint = Kva du vil høyre om, og korleis. Det som gjeld kontoen din, får du alltid på e-post.
site-channel-email = E-post
site-channel-fcm = Varsel i appen
site-kind-claim_confirmation = Stadfesting når du tek eit oppdrag
site-kind-task_changed = Eit oppdrag du har teke, er endra
site-kind-task_cancelled = Eit oppdrag du har teke, er avlyst
site-kind-reminder = Påminning dagen før
site-kind-invitation = Invitasjonar
site-kind-new_tasks_digest = Nye oppdrag, éin gong om dagen
site-kind-qualification_expiring = Ein kvalifikasjon går snart ut
site-kind-spot_opened = Ein plass er vorten ledig nær deg
site-save = Lagre
site-done-saved = Lagra.
site-your-data = Dine data
site-download-data = Last ned mine data
site-download-hint = Alt vi har om deg, som ei JSON-fil.
